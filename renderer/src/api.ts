/**
 * The renderer's only way to the main process: the typed contract in shared/api.ts, over the
 * preload bridge in Electron or over loopback HTTP with the session token in browser mode (got by
 * exchanging the launch URL's one-time code). Push events from the backend arrive through
 * `onPush`: over the preload bridge in Electron, over Server-Sent Events in browser mode.
 */
import type { ApiErrorBody, ApiInput, ApiMethod, ApiOutput, MediaRef, StudioApi } from '@shared/api.ts';
import type { FieldIssue } from '@shared/errors.ts';
import { PUSH_STREAM_PATH, PUSH_TICKET_PATH, type PushPayload, type PushType, parsePushEvent } from '@shared/contracts/studio/push.ts';
import { MEDIA_UPLOAD_PATH, marketMediaPath, mediaImagePath } from '@shared/media-files.ts';
import { purchaseFilePath } from '@shared/purchase-delivery.ts';
import { sentence } from './words.ts';

/** The per-field sentences an `invalid_input` error carries for people (shared/errors.ts `invalidInput`); none for other errors. */
function fieldIssues(body: ApiErrorBody): FieldIssue[] {
  const issues = body.details?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter((i): i is FieldIssue => typeof i?.field === 'string' && typeof i?.message === 'string');
}

export class StudioError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  /** Every field's problem in people's words (an `invalid_input` error); the message is the first. */
  readonly issues: FieldIssue[];
  constructor(body: ApiErrorBody) {
    // Shown to people as a sentence: a validation error's plain words (never the field's path or
    // zod's wording), else whatever the backend or the marketplace wrote.
    const issues = fieldIssues(body);
    super(sentence(issues[0]?.message ?? body.message));
    this.code = body.code;
    this.field = body.field;
    this.issues = issues;
  }
}

interface Bridge {
  invoke(method: string, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: ApiErrorBody }>;
  pickFolder?: () => Promise<string | null>;
  revealPurchase?: (purchaseId: string) => Promise<{ ok: true; value: unknown } | { ok: false; error: ApiErrorBody }>;
  importMedia?: (file?: File) => Promise<{ ok: true; value: unknown } | { ok: false; error: ApiErrorBody }>;
  onMenu?: (cb: (action: string) => void) => () => void;
  onPush?: (cb: (event: unknown) => void) => () => void;
}

declare global {
  interface Window {
    originals?: Bridge;
  }
}

const TOKEN_KEY = 'originals.token';

/**
 * Whether this page can reach the studio: always in Electron; in browser mode once a launch link's
 * code was exchanged (or this tab's kept token is still accepted), and 'disconnected' when there is
 * no session, the link was spent, or the studio answers that the token is missing or wrong (a
 * restarted studio) — the app then shows how to connect instead of an empty library.
 */
export interface SessionState {
  state: 'connecting' | 'connected' | 'disconnected';
  /** Why it is disconnected, when the studio said (a spent or expired link). */
  reason?: string;
}
let sessionNow: SessionState = { state: window.originals ? 'connected' : 'connecting' };
const sessionListeners = new Set<() => void>();
function setSession(next: SessionState): void {
  if (next.state === sessionNow.state && next.reason === sessionNow.reason) return;
  sessionNow = next;
  for (const l of sessionListeners) l();
}
export const getSessionState = (): SessionState => sessionNow;
/** Calls `cb` whenever the session state changes; returns the unsubscribe function. */
export function onSessionState(cb: () => void): () => void {
  sessionListeners.add(cb);
  return () => sessionListeners.delete(cb);
}

/**
 * Browser mode opens with a one-time code in the URL fragment (never the session token: launch
 * URLs show up in `ps`). The code is taken off the address bar at once and exchanged, once, for the
 * session token, which this tab keeps in sessionStorage (so a reload keeps working; other tabs and
 * origins cannot read it). A new link pasted into the same tab only changes the fragment (no
 * reload): `hashchange` exchanges its code the same way.
 */
async function sessionToken(): Promise<string> {
  const m = /[#&]code=([^&]+)/.exec(window.location.hash);
  if (m?.[1]) {
    history.replaceState(null, '', window.location.pathname + window.location.search);
    try {
      const res = await fetch('/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: decodeURIComponent(m[1]) }),
      });
      const body = (await res.json()) as { token?: string; error?: ApiErrorBody };
      if (res.ok && body.token) {
        sessionStorage.setItem(TOKEN_KEY, body.token);
        setSession({ state: 'connected' });
        return body.token;
      }
      if (body.error?.message && !sessionStorage.getItem(TOKEN_KEY))
        setSession({ state: 'disconnected', reason: sentence(body.error.message) });
    } catch {
      // Fall back to this tab's session, if it has one; the API call then says what is wrong.
    }
  }
  const kept = sessionStorage.getItem(TOKEN_KEY) ?? '';
  if (!kept) setSession({ state: 'disconnected', ...(sessionNow.reason ? { reason: sessionNow.reason } : {}) });
  return kept;
}

function electronApi(bridge: Bridge): StudioApi {
  return {
    mode: 'electron',
    async call(method, input) {
      const r = await bridge.invoke(method, input);
      if (!r.ok) throw new StudioError(r.error);
      return r.value as never;
    },
    imageUrl: (sha, thumb) => `app://studio/files/image/${sha}${thumb ? '.thumb' : ''}.webp`,
    mediaImageUrl: (r) => `app://studio${mediaImagePath(r)}${r.caller ? `?c=${encodeURIComponent(r.caller)}` : ''}`,
    marketMediaUrl: (r) => `app://studio${marketMediaPath(r)}`,
    purchaseFileUrl: (r) => `app://studio${purchaseFilePath(r)}`,
    async importMedia(file) {
      if (!bridge.importMedia) throw new StudioError({ code: 'unsupported', message: 'this window cannot import media files' });
      const r = await bridge.importMedia(file);
      if (!r.ok) throw new StudioError(r.error);
      return r.value as MediaRef | null;
    },
  };
}

/** Browser mode's session token, read once the launch code is exchanged (again for each new link opened in this tab). */
function browserSession(): { token: string; ready: Promise<void> } {
  const s = { token: sessionStorage.getItem(TOKEN_KEY) ?? '', ready: Promise.resolve() };
  const exchange = () => {
    s.ready = sessionToken().then((t) => {
      s.token = t;
    });
  };
  exchange();
  window.addEventListener('hashchange', () => {
    if (/[#&]code=/.test(window.location.hash)) exchange();
  });
  return s;
}
const session = window.originals ? null : browserSession();

function httpApi(s: { token: string; ready: Promise<void> }): StudioApi {
  return {
    mode: 'browser',
    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      await s.ready;
      let res: Response;
      try {
        res = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        throw new StudioError({ code: 'offline', message: 'the studio process is not reachable; is `npm start` still running?' });
      }
      const body = (await res.json().catch(() => ({}))) as { value?: unknown; error?: ApiErrorBody };
      // The studio does not know this tab's token (none, or the studio restarted): not connected.
      if (res.status === 401) setSession({ state: 'disconnected', ...(sessionNow.reason ? { reason: sessionNow.reason } : {}) });
      else setSession({ state: 'connected' });
      if (!res.ok || body.error) throw new StudioError(body.error ?? { code: `http_${res.status}`, message: res.statusText });
      return body.value as ApiOutput<M>;
    },
    imageUrl: (sha, thumb) => `/files/image/${sha}${thumb ? '.thumb' : ''}.webp?t=${encodeURIComponent(s.token)}`,
    mediaImageUrl: (r) => `${mediaImagePath(r)}?t=${encodeURIComponent(s.token)}${r.caller ? `&c=${encodeURIComponent(r.caller)}` : ''}`,
    marketMediaUrl: (r) => `${marketMediaPath(r)}?t=${encodeURIComponent(s.token)}`,
    purchaseFileUrl: (r) => `${purchaseFilePath(r)}?t=${encodeURIComponent(s.token)}`,
    /** The file is the request body: the browser streams it from disk, nothing is read into this page. */
    async importMedia(file) {
      if (!file) return null;
      await s.ready;
      let res: Response;
      try {
        res = await fetch(`${MEDIA_UPLOAD_PATH}?name=${encodeURIComponent(file.name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${s.token}` },
          body: file,
        });
      } catch {
        throw new StudioError({ code: 'offline', message: 'the upload did not reach the studio process; is `npm start` still running?' });
      }
      const body = (await res.json().catch(() => ({}))) as { value?: MediaRef; error?: ApiErrorBody };
      if (!res.ok || body.error || !body.value)
        throw new StudioError(body.error ?? { code: `http_${res.status}`, message: res.statusText });
      return body.value;
    },
  };
}

export const api: StudioApi = window.originals ? electronApi(window.originals) : httpApi(session as NonNullable<typeof session>);
export const bridge: Bridge | undefined = window.originals;

// ---------------------------------------------------------------- push channel

type Handler = (payload: never) => void;
const pushHandlers = new Map<PushType, Set<Handler>>();
const connectHandlers = new Set<() => void>();
let pushStarted = false;
let retryMs = 1000;

/** Hands a validated event to its type's handlers; an event that breaks the contract is dropped. */
function deliver(raw: unknown): void {
  const r = parsePushEvent(raw);
  if (!r.ok) {
    console.warn(`[push] ignored an event that breaks the contract: ${r.message}`);
    return;
  }
  for (const h of pushHandlers.get(r.event.type) ?? []) (h as (p: unknown) => void)(r.event.payload);
}

/**
 * Browser mode: one EventSource for the tab, opened with a fresh one-time ticket (the token goes
 * in a header to the ticket route, never in the stream's URL). Dropped streams are reopened with a
 * new ticket, waiting 1, 2, 4 … 30 s; each (re)opening tells onPushConnect's handlers, which
 * refresh once what they may have missed.
 */
async function openStream(s: { token: string; ready: Promise<void> }): Promise<void> {
  let ticket: string;
  try {
    await s.ready;
    const res = await fetch(PUSH_TICKET_PATH, { method: 'POST', headers: { authorization: `Bearer ${s.token}` } });
    const body = (await res.json()) as { ticket?: string };
    if (!res.ok || !body.ticket) throw new Error(`ticket refused (${res.status})`);
    ticket = body.ticket;
  } catch {
    reopenLater(s);
    return;
  }
  const es = new EventSource(`${PUSH_STREAM_PATH}?ticket=${encodeURIComponent(ticket)}`);
  es.onopen = () => {
    retryMs = 1000;
    for (const h of connectHandlers) h();
  };
  es.onmessage = (m: MessageEvent<string>) => {
    try {
      deliver(JSON.parse(m.data));
    } catch {
      console.warn('[push] ignored an event that is not JSON');
    }
  };
  es.onerror = () => {
    // The browser would retry with the same (spent) ticket: close and reopen with a new one.
    es.close();
    reopenLater(s);
  };
}

let reopenTimer: ReturnType<typeof setTimeout> | null = null;
function reopenLater(s: { token: string; ready: Promise<void> }): void {
  reopenTimer = setTimeout(() => {
    reopenTimer = null;
    void openStream(s);
  }, retryMs);
  retryMs = Math.min(30_000, retryMs * 2);
}

// A tab that just got its session (a new launch link) opens the stream now, not after the back-off it reached while disconnected.
onSessionState(() => {
  if (sessionNow.state !== 'connected' || !reopenTimer || !session) return;
  clearTimeout(reopenTimer);
  reopenTimer = null;
  retryMs = 1000;
  void openStream(session);
});

function startPush(): void {
  if (pushStarted) return;
  pushStarted = true;
  if (window.originals) window.originals.onPush?.(deliver);
  else if (session) void openStream(session);
}

/** Calls `handler` with each `type` event the backend pushes; returns the unsubscribe function. */
export function onPush<T extends PushType>(type: T, handler: (payload: PushPayload<T>) => void): () => void {
  startPush();
  let set = pushHandlers.get(type);
  if (!set) pushHandlers.set(type, (set = new Set()));
  const h = handler as Handler;
  set.add(h);
  return () => set.delete(h);
}

/**
 * Calls `handler` whenever the push stream (re)connects in browser mode, so a screen can refresh
 * once what it may have missed while it was down (IPC in Electron never drops); returns the
 * unsubscribe function.
 */
export function onPushConnect(handler: () => void): () => void {
  startPush();
  connectHandlers.add(handler);
  return () => connectHandlers.delete(handler);
}

/** Reads a File as base64 (without the data: prefix). */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

/**
 * The renderer's only way to the main process: the typed contract in shared/api.ts, over the
 * preload bridge in Electron or over loopback HTTP with the session token in browser mode (got by
 * exchanging the launch URL's one-time code).
 */
import type { ApiErrorBody, ApiInput, ApiMethod, ApiOutput, MediaRef, StudioApi } from '@shared/api.ts';
import { MEDIA_UPLOAD_PATH, marketMediaPath, mediaImagePath } from '@shared/media-files.ts';

export class StudioError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.code = body.code;
    this.field = body.field;
  }
}

interface Bridge {
  invoke(method: string, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: ApiErrorBody }>;
  pickFolder?: () => Promise<string | null>;
  importMedia?: (file?: File) => Promise<{ ok: true; value: unknown } | { ok: false; error: ApiErrorBody }>;
  onMenu?: (cb: (action: string) => void) => () => void;
}

declare global {
  interface Window {
    originals?: Bridge;
  }
}

const TOKEN_KEY = 'originals.token';

/**
 * Browser mode opens with a one-time code in the URL fragment (never the session token: launch
 * URLs show up in `ps`). The code is taken off the address bar at once and exchanged, once, for the
 * session token, which this tab keeps in sessionStorage (so a reload keeps working; other tabs and
 * origins cannot read it).
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
      const body = (await res.json()) as { token?: string };
      if (res.ok && body.token) {
        sessionStorage.setItem(TOKEN_KEY, body.token);
        return body.token;
      }
    } catch {
      // Fall back to this tab's session, if it has one; the API call then says what is wrong.
    }
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
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
    mediaImageUrl: (r) => `app://studio${mediaImagePath(r)}`,
    marketMediaUrl: (r) => `app://studio${marketMediaPath(r)}`,
    async importMedia(file) {
      if (!bridge.importMedia) throw new StudioError({ code: 'unsupported', message: 'this window cannot import media files' });
      const r = await bridge.importMedia(file);
      if (!r.ok) throw new StudioError(r.error);
      return r.value as MediaRef | null;
    },
  };
}

function httpApi(): StudioApi {
  let token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  const ready = sessionToken().then((t) => {
    token = t;
  });
  return {
    mode: 'browser',
    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      await ready;
      let res: Response;
      try {
        res = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        throw new StudioError({ code: 'offline', message: 'the studio process is not reachable; is `npm start` still running?' });
      }
      const body = (await res.json().catch(() => ({}))) as { value?: unknown; error?: ApiErrorBody };
      if (!res.ok || body.error) throw new StudioError(body.error ?? { code: `http_${res.status}`, message: res.statusText });
      return body.value as ApiOutput<M>;
    },
    imageUrl: (sha, thumb) => `/files/image/${sha}${thumb ? '.thumb' : ''}.webp?t=${encodeURIComponent(token)}`,
    mediaImageUrl: (r) => `${mediaImagePath(r)}?t=${encodeURIComponent(token)}`,
    marketMediaUrl: (r) => `${marketMediaPath(r)}?t=${encodeURIComponent(token)}`,
    /** The file is the request body: the browser streams it from disk, nothing is read into this page. */
    async importMedia(file) {
      if (!file) return null;
      await ready;
      let res: Response;
      try {
        res = await fetch(`${MEDIA_UPLOAD_PATH}?name=${encodeURIComponent(file.name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
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

export const api: StudioApi = window.originals ? electronApi(window.originals) : httpApi();
export const bridge: Bridge | undefined = window.originals;

/** Reads a File as base64 (without the data: prefix). */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

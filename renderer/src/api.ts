/**
 * The renderer's only way to the main process: the typed contract in shared/api.ts, over the
 * preload bridge in Electron or over loopback HTTP with the session token in browser mode.
 */
import type { ApiErrorBody, ApiInput, ApiMethod, ApiOutput, StudioApi } from '@shared/api.ts';

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
  onMenu?: (cb: (action: string) => void) => () => void;
}

declare global {
  interface Window {
    originals?: Bridge;
  }
}

function tokenFromLocation(): string {
  const m = /[#&]token=([^&]+)/.exec(window.location.hash);
  if (m?.[1]) {
    sessionStorage.setItem('originals.token', m[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return m[1];
  }
  return sessionStorage.getItem('originals.token') ?? '';
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
  };
}

function httpApi(): StudioApi {
  const token = tokenFromLocation();
  return {
    mode: 'browser',
    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
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

/**
 * A failed model download in plain words for the Models screen: no connection (offline, the host
 * not found, refused, timed out) says so and what to do; an HTTP error, a file that failed its
 * pinned checksum or size, and anything else keep their facts. Partial files resume next time.
 */
const OFFLINE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

const RESUME = 'what was already downloaded is kept and the download resumes from there';

/** The network error code behind a failed fetch (Node puts it on the error's cause), if any. */
function networkCode(err: unknown): string | null {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && OFFLINE_CODES.has(e.code)) return e.code;
  }
  return null;
}

/** The host a network error names ("getaddrinfo ENOTFOUND huggingface.co"), if it names one. */
function hostOf(err: unknown): string | null {
  const cause = (err as { cause?: { hostname?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.hostname === 'string') return cause.hostname;
  const m = typeof cause?.message === 'string' ? /(?:ENOTFOUND|EAI_AGAIN)\s+([\w.-]+)/.exec(cause.message) : null;
  return m?.[1] ?? null;
}

export function downloadErrorText(err: unknown): string {
  const code = networkCode(err);
  if (code) {
    const host = hostOf(err) ?? 'the model host';
    const what =
      code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `${host} could not be found — this computer looks offline`
        : code === 'ECONNREFUSED'
          ? `${host} refused the connection`
          : `the connection to ${host} failed or timed out`;
    return `No connection: ${what}. Connect to the internet and press Download again; ${RESUME}. Or import the files from a folder below.`;
  }
  const message = err instanceof Error ? err.message : String(err);
  const http = /^GET (\S+): HTTP (\d{3})/.exec(message);
  if (http) return `The model host answered HTTP ${http[2]} for ${http[1]}. Try again later; ${RESUME}.`;
  if (/sha256 .* does not match|expected \d+ bytes, got/.test(message))
    return `A downloaded file did not match its pinned size or SHA-256 and was thrown away (${message}). Press Download again.`;
  return `${message}; ${RESUME}.`;
}

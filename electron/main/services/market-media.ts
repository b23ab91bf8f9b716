/**
 * Streams a marketplace version's audio/video file to the page through the studio: the main side
 * asks the marketplace with the session (which never reaches the page), passes one Range header
 * through so players can seek (206), and hands back the body as it arrives — never buffered.
 */

/** The answer's headers the page may see (the marketplace's others stay here). */
const PASSED = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'etag'] as const;

/** A Range header of one byte range, or null (anything else is not passed on). */
export function singleRange(header: string | null | undefined): string | null {
  const h = (header ?? '').trim();
  return /^bytes=(\d+-\d*|-\d+)$/.test(h) ? h : null;
}

export async function proxyMarketMedia(
  source: { url: string; authorization: string | null },
  range: string | null | undefined,
  signal?: AbortSignal,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (source.authorization) headers.authorization = source.authorization;
  const r = singleRange(range);
  if (r) headers.range = r;
  let res: Response;
  try {
    res = await fetch(source.url, { headers, ...(signal ? { signal } : {}) });
  } catch (e) {
    return new Response(`the marketplace is unreachable (${(e as Error).message})`, {
      status: 503,
      headers: { 'content-type': 'text/plain' },
    });
  }
  const out = new Headers({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  for (const h of PASSED) {
    const v = res.headers.get(h);
    if (v) out.set(h, v);
  }
  return new Response(res.body, { status: res.status, headers: out });
}

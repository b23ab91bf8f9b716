/** The client's address behind a known number of trusted reverse proxies. */

/**
 * With `hops` trusted proxies in front, the entry the outermost trusted proxy appended to
 * X-Forwarded-For (counting from the right); with 0 hops, the socket address. Entries further
 * left are whatever the client sent and are never trusted.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, hops: number): string {
  const socket = socketAddress || 'unknown';
  if (hops <= 0) return socket;
  const chain = [
    ...(forwardedFor ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    socket,
  ];
  return chain[Math.max(0, chain.length - 1 - hops)] ?? socket;
}

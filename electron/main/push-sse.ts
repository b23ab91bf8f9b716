/**
 * Browser mode's push transport: the PushEmitter's events as Server-Sent Events on GET /push.
 *
 * An EventSource cannot send the Authorization header, and the session token is never put in a
 * URL: the page first asks POST /push/ticket with its Bearer token for a one-time ticket (valid a
 * minute, works once) and opens /push?ticket=…; each reconnection takes a new ticket. A stream
 * that falls a megabyte behind is closed (the page reconnects and refreshes); a comment line every
 * 25 s keeps idle connections from looking dead; at most 16 streams are open at once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PUSH_STREAM_PATH, PUSH_TICKET_PATH, type PushEvent } from '../../shared/contracts/studio/push.ts';
import { OneTimeSecrets } from './one-time.ts';
import type { PushEmitter } from './push.ts';

export { PUSH_STREAM_PATH, PUSH_TICKET_PATH };
export const TICKET_TTL_MS = 60_000;
export const MAX_STREAMS = 16;
const HEARTBEAT_MS = 25_000;
const MAX_BACKLOG = 1024 * 1024;

export class PushStreams {
  private readonly tickets = new OneTimeSecrets(TICKET_TTL_MS);
  private readonly streams = new Set<ServerResponse>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private seq = 0;

  constructor(push: PushEmitter) {
    this.unsubscribe = push.subscribe((e) => this.broadcast(e));
    this.heartbeat = setInterval(() => this.write(': ping\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  ticket(): string {
    return this.tickets.issue();
  }

  redeem(ticket: string): boolean {
    return this.tickets.redeem(ticket);
  }

  /** Starts an event stream on a request already authorized; false when too many are open. */
  open(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.streams.size >= MAX_STREAMS) return false;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      connection: 'keep-alive',
    });
    // A first line so the page's EventSource reports the stream open at once.
    res.write(': open\n\n');
    this.streams.add(res);
    const drop = () => this.streams.delete(res);
    req.once('close', drop);
    res.once('close', drop);
    return true;
  }

  get size(): number {
    return this.streams.size;
  }

  private broadcast(e: PushEvent): void {
    this.seq += 1;
    // JSON never holds a raw newline, so one data line carries the whole event.
    this.write(`id: ${this.seq}\ndata: ${JSON.stringify(e)}\n\n`);
  }

  private write(chunk: string): void {
    for (const res of this.streams) {
      if (res.writableLength > MAX_BACKLOG) {
        this.streams.delete(res);
        res.end();
        continue;
      }
      res.write(chunk);
    }
  }

  /** Ends every stream (the server can then close) and stops listening. */
  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    for (const res of this.streams) res.end();
    this.streams.clear();
  }
}

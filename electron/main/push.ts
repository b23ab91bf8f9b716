/**
 * The one emitter of the studio's push events (shared/contracts/studio/push.ts). Services emit typed
 * events here; every event is validated against its schema before any transport sees it (an invalid
 * one is logged with the field and dropped: it is a bug, and it must not reach the page). The
 * transports subscribe: the Electron backend forwards to the main process (then IPC to the window),
 * browser mode streams Server-Sent Events (push-sse.ts). No Electron import.
 */
import { type PushEvent, type PushPayload, type PushType, parsePushEvent } from '../../shared/contracts/studio/push.ts';

export type PushListener = (event: PushEvent) => void;

export class PushEmitter {
  private readonly listeners = new Set<PushListener>();
  /** The last payload sent per key (emitIfChanged), as JSON. */
  private readonly last = new Map<string, string>();

  /** Validates and delivers one event; false (nothing delivered) when the payload breaks the contract. */
  emit<T extends PushType>(type: T, payload: PushPayload<T>): boolean {
    const r = parsePushEvent({ type, payload });
    if (!r.ok) {
      console.error(`[push] ${type} not sent, it breaks the contract: ${r.message}`);
      return false;
    }
    for (const l of this.listeners) {
      try {
        l(r.event);
      } catch (err) {
        console.error(`[push] a ${type} listener failed:`, err);
      }
    }
    return true;
  }

  /**
   * Emits only when the payload differs from the last one emitted under `key` (default: the type),
   * so state events (sync status, one asset's tracking) can be published at every step that might
   * change them without repeating themselves.
   */
  emitIfChanged<T extends PushType>(type: T, payload: PushPayload<T>, key: string = type): boolean {
    const json = JSON.stringify(payload);
    if (this.last.get(key) === json) return false;
    if (!this.emit(type, payload)) return false;
    this.last.set(key, json);
    return true;
  }

  subscribe(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

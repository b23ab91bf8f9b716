/**
 * A tiny typed event bus: services publish domain events, other domains (notifications, reputation)
 * subscribe. `emit` runs the handlers one after another in subscription order and awaits each, so a
 * subscriber's writes land inside the publisher's transaction (events carry its `tx` handle) before
 * the publisher goes on; a handler's error fails the publisher's operation, as an inline call would.
 */
export type Handler<E> = (event: E) => Promise<unknown> | unknown;

export class EventBus<M extends object> {
  private readonly handlers = new Map<keyof M, Handler<never>[]>();

  /** Subscribes a handler; returns the function that unsubscribes it. */
  on<K extends keyof M>(name: K, handler: Handler<M[K]>): () => void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as Handler<never>);
    this.handlers.set(name, list);
    return () => {
      const at = list.indexOf(handler as Handler<never>);
      if (at >= 0) list.splice(at, 1);
    };
  }

  async emit<K extends keyof M>(name: K, event: M[K]): Promise<void> {
    for (const h of [...(this.handlers.get(name) ?? [])]) await (h as Handler<M[K]>)(event);
  }
}

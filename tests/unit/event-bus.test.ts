/** The typed event bus: handlers run one after another in subscription order, each awaited before the next and before emit returns; an error reaches the publisher. */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../server/services/events.ts';

interface Events {
  'sale.posted': { id: string };
  'refund.posted': { id: string; cents: number };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('event bus', () => {
  it('awaits each handler in subscription order before emit returns', async () => {
    const bus = new EventBus<Events>();
    const log: string[] = [];
    bus.on('sale.posted', async (e) => {
      await tick();
      log.push(`notify ${e.id}`);
    });
    bus.on('sale.posted', (e) => void log.push(`reputation ${e.id}`));
    bus.on('refund.posted', (e) => void log.push(`refund ${e.cents}`));
    await bus.emit('sale.posted', { id: 'a' });
    log.push('after emit');
    await bus.emit('refund.posted', { id: 'b', cents: 5 });
    expect(log).toEqual(['notify a', 'reputation a', 'after emit', 'refund 5']);
  });

  it('fails the publisher when a handler fails, skipping the later ones; unsubscribed handlers stop', async () => {
    const bus = new EventBus<Events>();
    const seen: string[] = [];
    const off = bus.on('sale.posted', (e) => void seen.push(e.id));
    bus.on('sale.posted', () => {
      throw new Error('notification insert failed');
    });
    bus.on('sale.posted', (e) => void seen.push(`late ${e.id}`));
    await expect(bus.emit('sale.posted', { id: 'x' })).rejects.toThrow('notification insert failed');
    expect(seen).toEqual(['x']);
    off();
    await expect(bus.emit('sale.posted', { id: 'y' })).rejects.toThrow();
    expect(seen).toEqual(['x']);
    await expect(bus.emit('refund.posted', { id: 'z', cents: 1 })).resolves.toBeUndefined();
  });
});

/**
 * The LOCAL TEST PAYMENT PROCESSOR: a small Stripe-compatible HTTP server that speaks the subset
 * of Stripe's REST API the marketplace uses, so the real `stripe` SDK runs against it unchanged.
 * It moves no money and talks to no one: the server starts it when no Stripe keys are configured
 * (so the whole purchase flow works offline), and the tests point the SDK at it.
 *
 * What it implements, with Stripe's object shapes, form-encoded requests, idempotency keys and
 * error format: customers; Connect accounts and account links; Checkout Sessions (payment and
 * subscription mode) with a labelled test checkout page; payment intents, charges and balance
 * transactions with Stripe's standard US fee (2.9 % + 30¢); refunds; transfers with transfer
 * groups and reversals; subscriptions with invoices; signed webhook events (`Stripe-Signature`,
 * HMAC-SHA256 over `t.payload`, exactly as Stripe signs them) delivered in order with retries.
 * Test-only controls (paying a session, renewing a subscription, paying a connected account out,
 * delivering events by hand) live under /_test and as methods, never under /v1.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type Obj = Record<string, unknown> & { id: string; object: string };
export interface TestEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  api_version: string;
  livemode: false;
  data: { object: Obj };
  pending_webhooks: number;
  delivered?: boolean;
}

class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

/** Decodes Stripe's form encoding (`a[b][0][c]=x`) into nested objects and arrays. */
export function decodeForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.split(/\[|\]\[|\]/).filter((p) => p !== '');
    let node: Record<string, unknown> | unknown[] = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const key = Array.isArray(node) ? Number(part) : part;
      if (last) {
        (node as Record<string | number, unknown>)[key] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(parts[i + 1] as string);
      const cur = (node as Record<string | number, unknown>)[key];
      if (cur === undefined) (node as Record<string | number, unknown>)[key] = nextIsIndex ? [] : {};
      node = (node as Record<string | number, unknown>)[key] as Record<string, unknown>;
    });
  }
  return out;
}

const int = (v: unknown, param: string): number => {
  const n = Number(v);
  if (v === undefined || v === '' || !Number.isSafeInteger(n) || n < 0)
    throw new StripeError(400, 'invalid_request_error', `Invalid integer: ${String(v)}`, 'parameter_invalid_integer', param);
  return n;
};
const API_PATHS = [
  '/customers',
  '/accounts',
  '/accounts/:id',
  '/account_links',
  '/checkout/sessions',
  '/checkout/sessions/:id',
  '/checkout/sessions/:id/expire',
  '/payment_intents/:id',
  '/charges/:id',
  '/invoices/:id',
  '/refunds',
  '/refunds/:id',
  '/transfers',
  '/transfers/:id',
  '/transfers/:id/reversals',
  '/subscriptions/:id',
];
const now = () => Math.floor(Date.now() / 1000);
const PERIOD_SECONDS = { month: 30 * 86_400, year: 365 * 86_400 } as const;

export interface TestProcessorOptions {
  /** Persist state to this JSON file so pending checkouts survive a restart (the one-box server passes one). */
  stateFile?: string | undefined;
  /** Keep the port in this file and reuse it at the next start (so saved checkout URLs keep working); another port when it is taken. */
  portFile?: string | undefined;
  /** Deliver webhook events by itself as they happen (default true); tests turn it off to reorder or repeat them. */
  autoDeliver?: boolean;
  /** Stripe's standard US card fee. */
  fee?: { basisPoints: number; fixedCents: number };
}

interface State {
  seq: number;
  objects: Record<string, Obj>;
  events: TestEvent[];
  idempotency: Record<string, { fingerprint: string; status: number; body: unknown }>;
  platformBalance: number;
}

export class LocalTestProcessor {
  readonly secretKey = `sk_test_local_${randomBytes(12).toString('hex')}`;
  readonly webhookSecret = `whsec_local_${randomBytes(16).toString('hex')}`;
  readonly label = 'LOCAL TEST PAYMENT PROCESSOR — no real money moves';
  private state: State = { seq: 0, objects: {}, events: [], idempotency: {}, platformBalance: 0 };
  private server: Server | null = null;
  private webhookUrl: string | null = null;
  private delivering: Promise<void> = Promise.resolve();
  autoDeliver: boolean;
  port = 0;

  constructor(private readonly opts: TestProcessorOptions = {}) {
    this.autoDeliver = opts.autoDeliver ?? true;
    if (opts.stateFile && existsSync(opts.stateFile)) this.state = JSON.parse(readFileSync(opts.stateFile, 'utf8')) as State;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Where events go (the marketplace's POST /v1/webhooks/stripe). */
  setWebhook(url: string): void {
    this.webhookUrl = url;
  }

  async start(): Promise<this> {
    const file = this.opts.portFile;
    const saved = file && existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
    const listen = (port: number) =>
      new Promise<Server>((resolve, reject) => {
        const srv = createServer((req, res) => void this.handle(req, res));
        srv.once('error', reject);
        srv.listen(port, '127.0.0.1', () => {
          srv.off('error', reject);
          resolve(srv);
        });
      });
    const valid = Number.isInteger(saved) && saved > 0 && saved < 65536;
    this.server = valid ? await listen(saved).catch(() => listen(0)) : await listen(0);
    this.port = (this.server.address() as AddressInfo).port;
    if (file && this.port !== saved) writeFileSync(file, String(this.port));
    return this;
  }

  async stop(): Promise<void> {
    await this.delivering;
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = null;
  }

  // ---------------------------------------------------------------- test controls

  /** Pays an open Checkout Session with a test card, as a buyer on the checkout page would. */
  pay(sessionId: string): Obj {
    const s = this.get(sessionId, 'checkout.session');
    if (s.status !== 'open') throw new StripeError(400, 'invalid_request_error', `session ${sessionId} is ${String(s.status)}`);
    const amount = Number(s.amount_total);
    const meta = (s.metadata ?? {}) as Record<string, string>;
    if (s.mode === 'payment') {
      const pid = (s.payment_intent_data ?? {}) as { metadata?: Record<string, string>; transfer_group?: string };
      const pi = this.charge(amount, pid.metadata ?? meta, pid.transfer_group ?? null);
      Object.assign(s, { status: 'complete', payment_status: 'paid', payment_intent: pi.id });
      this.emit('checkout.session.completed', s);
    } else {
      const line = (s.line_items as { price_data: { unit_amount: number; recurring: { interval: 'month' | 'year' } } }[])[0];
      const interval = line?.price_data.recurring.interval ?? 'month';
      const subMeta = ((s.subscription_data ?? {}) as { metadata?: Record<string, string> }).metadata ?? meta;
      const start = now();
      const sub = this.create('sub', 'subscription', {
        status: 'active',
        customer: s.customer ?? null,
        metadata: subMeta,
        cancel_at_period_end: false,
        items: {
          object: 'list',
          data: [
            {
              id: this.newId('si'),
              object: 'subscription_item',
              price: { object: 'price', unit_amount: amount, currency: 'usd', recurring: { interval } },
              current_period_start: start,
              current_period_end: start + PERIOD_SECONDS[interval],
            },
          ],
        },
      });
      Object.assign(s, { status: 'complete', payment_status: 'paid', subscription: sub.id });
      const invoice = this.invoice(sub, amount, 'subscription_create');
      this.emit('checkout.session.completed', s);
      this.emit('invoice.paid', invoice);
    }
    this.save();
    return s;
  }

  /** Starts the next billing period of a subscription (a test clock): a new paid invoice, or the end of a cancelled one. */
  renew(subscriptionId: string): Obj {
    const sub = this.get(subscriptionId, 'subscription');
    if (sub.status !== 'active') throw new StripeError(400, 'invalid_request_error', 'subscription is not active');
    const item = (
      sub.items as {
        data: {
          price: { unit_amount: number; recurring: { interval: 'month' | 'year' } };
          current_period_start: number;
          current_period_end: number;
        }[];
      }
    ).data[0];
    if (!item) throw new StripeError(400, 'invalid_request_error', 'subscription has no items');
    if (sub.cancel_at_period_end) {
      Object.assign(sub, { status: 'canceled', ended_at: now() });
      this.emit('customer.subscription.deleted', sub);
      this.save();
      return sub;
    }
    item.current_period_start = item.current_period_end;
    item.current_period_end += PERIOD_SECONDS[item.price.recurring.interval];
    const invoice = this.invoice(sub, item.price.unit_amount, 'subscription_cycle');
    this.emit('invoice.paid', invoice);
    this.save();
    return invoice;
  }

  /** The connected account pays its balance out to the creator's bank (so a later reversal can fail). */
  payOutConnectedAccount(accountId: string): void {
    this.get(accountId, 'account').balance = 0;
    this.save();
  }

  /** The buyer's bank disputes a charge. */
  dispute(chargeId: string, reason = 'fraudulent'): Obj {
    const ch = this.get(chargeId, 'charge');
    const d = this.create('dp', 'dispute', {
      charge: ch.id,
      payment_intent: ch.payment_intent,
      amount: ch.amount,
      reason,
      status: 'needs_response',
    });
    ch.disputed = true;
    this.emit('charge.dispute.created', d);
    this.save();
    return d;
  }

  /** Resolves when every event emitted so far has been delivered (or given up on). */
  async settled(): Promise<void> {
    let last: Promise<void> | null = null;
    while (last !== this.delivering) {
      last = this.delivering;
      await last;
    }
  }

  events(): TestEvent[] {
    return this.state.events;
  }

  /** Every object of one kind (charges, refunds, transfers…), for assertions. */
  list(object: string): Obj[] {
    return Object.values(this.state.objects).filter((o) => o.object === object);
  }

  connectedBalance(accountId: string): number {
    return Number(this.get(accountId, 'account').balance);
  }

  /** Signs and posts one event to the webhook endpoint; returns the HTTP status. */
  async deliver(eventId: string): Promise<number> {
    const ev = this.state.events.find((e) => e.id === eventId);
    if (!ev) throw new Error(`no event ${eventId}`);
    if (!this.webhookUrl) throw new Error('no webhook endpoint configured');
    const { delivered: _d, ...wire } = ev;
    const payload = JSON.stringify(wire);
    const res = await fetch(this.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': this.sign(payload) },
      body: payload,
    });
    if (res.ok) ev.delivered = true;
    return res.status;
  }

  /** Stripe's scheme: `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>`. */
  sign(payload: string, at = now()): string {
    return `t=${at},v1=${createHmac('sha256', this.webhookSecret).update(`${at}.${payload}`).digest('hex')}`;
  }

  // ---------------------------------------------------------------- internals

  private newId(prefix: string): string {
    this.state.seq += 1;
    return `${prefix}_test_${this.state.seq.toString(36).padStart(6, '0')}${randomBytes(6).toString('hex')}`;
  }

  private create(prefix: string, object: string, fields: Record<string, unknown>): Obj {
    const o = { id: this.newId(prefix), object, created: now(), livemode: false, ...fields } as Obj;
    this.state.objects[o.id] = o;
    return o;
  }

  private get(id: string, object: string): Obj {
    const o = this.state.objects[id];
    if (!o || o.object !== object)
      throw new StripeError(404, 'invalid_request_error', `No such ${object.replace('checkout.', '')}: '${id}'`, 'resource_missing', 'id');
    return o;
  }

  private charge(amount: number, metadata: Record<string, string>, transferGroup: string | null): Obj {
    const f = this.opts.fee ?? { basisPoints: 290, fixedCents: 30 };
    const fee = Math.min(amount, Math.round((amount * f.basisPoints) / 10_000) + f.fixedCents);
    const bt = this.create('txn', 'balance_transaction', { amount, fee, net: amount - fee, currency: 'usd', type: 'charge' });
    const pi = this.create('pi', 'payment_intent', {
      amount,
      currency: 'usd',
      status: 'succeeded',
      metadata,
      transfer_group: transferGroup,
      latest_charge: null,
    });
    const ch = this.create('ch', 'charge', {
      amount,
      amount_captured: amount,
      amount_refunded: 0,
      captured: true,
      paid: true,
      refunded: false,
      disputed: false,
      status: 'succeeded',
      currency: 'usd',
      payment_intent: pi.id,
      balance_transaction: bt.id,
      transfer_group: transferGroup,
      metadata,
    });
    pi.latest_charge = ch.id;
    this.state.platformBalance += amount - fee;
    return pi;
  }

  private invoice(sub: Obj, amount: number, reason: string): Obj {
    const pi = this.charge(amount, (sub.metadata ?? {}) as Record<string, string>, null);
    return this.create('in', 'invoice', {
      status: 'paid',
      amount_paid: amount,
      currency: 'usd',
      billing_reason: reason,
      customer: sub.customer ?? null,
      parent: { type: 'subscription_details', subscription_details: { subscription: sub.id, metadata: sub.metadata } },
      payments: { object: 'list', data: [{ object: 'invoice_payment', payment: { type: 'payment_intent', payment_intent: pi.id } }] },
    });
  }

  private emit(type: string, object: Obj): void {
    const ev: TestEvent = {
      id: this.newId('evt'),
      object: 'event',
      type,
      created: now(),
      api_version: '2026-10-28.endive',
      livemode: false,
      data: { object: structuredClone(object) },
      pending_webhooks: 1,
    };
    this.state.events.push(ev);
    if (this.autoDeliver && this.webhookUrl) {
      this.delivering = this.delivering.then(() => this.deliverWithRetries(ev.id));
    }
  }

  private async deliverWithRetries(id: string): Promise<void> {
    for (const wait of [0, 200, 1000, 3000]) {
      if (wait) await new Promise((r) => setTimeout(r, wait));
      try {
        const status = await this.deliver(id);
        if (status < 300 || (status >= 400 && status < 409) || status === 410) return;
      } catch {
        // the endpoint is down: retry, as Stripe does
      }
    }
  }

  private save(): void {
    if (!this.opts.stateFile) return;
    const tmp = `${this.opts.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.opts.stateFile);
  }

  /** Replaces ids named by `expand` paths (`payment_intent.latest_charge.balance_transaction`) with their objects. */
  private expand(o: Obj, paths: string[]): Obj {
    const copy = structuredClone(o) as Record<string, unknown>;
    for (const path of paths) {
      let node: Record<string, unknown> | null = copy;
      for (const key of path.split('.')) {
        if (!node) break;
        const v = node[key];
        if (typeof v === 'string' && this.state.objects[v]) node[key] = structuredClone(this.state.objects[v]);
        node = (node[key] as Record<string, unknown> | null) ?? null;
        if (typeof node !== 'object') node = null;
      }
    }
    return copy as Obj;
  }

  private list_(filter: (o: Obj) => boolean, limit = 10) {
    const data = Object.values(this.state.objects).filter(filter).reverse().slice(0, limit);
    return { object: 'list', data, has_more: false, url: '' };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk as string;
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (!url.pathname.startsWith('/v1/')) return this.pages(req, res, url, body);
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${this.secretKey}`)
        throw new StripeError(401, 'invalid_request_error', 'Invalid API Key provided (this is the local test processor)');
      const params = req.method === 'GET' || req.method === 'DELETE' ? decodeForm(url.search.slice(1)) : decodeForm(body);
      const key = req.headers['idempotency-key'];
      const idemKey = typeof key === 'string' && req.method === 'POST' ? `${url.pathname} ${key}` : null;
      if (idemKey) {
        const prior = this.state.idempotency[idemKey];
        if (prior) {
          if (prior.fingerprint !== body)
            throw new StripeError(
              400,
              'idempotency_error',
              'Keys for idempotent requests can only be used with the same parameters they were first used with.',
            );
          return this.json(res, prior.status, prior.body, { 'idempotent-replayed': 'true' });
        }
      }
      let status = 200;
      let out: unknown;
      try {
        out = this.api(req.method ?? 'GET', url.pathname, params);
      } catch (e) {
        if (!(e instanceof StripeError)) throw e;
        status = e.status;
        out = { error: { type: e.type, message: e.message, ...(e.code ? { code: e.code } : {}), ...(e.param ? { param: e.param } : {}) } };
      }
      if (idemKey && status < 500) this.state.idempotency[idemKey] = { fingerprint: body, status, body: out };
      this.save();
      return this.json(res, status, out);
    } catch (e) {
      const err = e instanceof StripeError ? e : new StripeError(500, 'api_error', (e as Error).message);
      return this.json(res, err.status, { error: { type: err.type, message: err.message, ...(err.param ? { param: err.param } : {}) } });
    }
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_test_${randomBytes(6).toString('hex')}`, ...headers });
    res.end(JSON.stringify(body));
  }

  private api(method: string, path: string, p: Record<string, unknown>): unknown {
    const rest = path.slice(3); // after /v1
    const pattern = API_PATHS.find((pat) => new RegExp(`^${pat.replace(':id', '[\\w]+')}$`).test(rest)) ?? rest;
    const id = pattern.includes(':id') ? (rest.split('/')[pattern.split('/').indexOf(':id')] as string) : '';
    const route = `${method} ${pattern}`;
    const expandPaths = (Array.isArray(p.expand) ? p.expand : []) as string[];
    const meta = (p.metadata ?? {}) as Record<string, string>;
    switch (route) {
      case 'POST /customers':
        return this.create('cus', 'customer', { email: p.email ?? null, name: p.name ?? null, metadata: meta });
      case 'POST /accounts':
        return this.create('acct', 'account', {
          type: p.type ?? 'express',
          email: p.email ?? null,
          metadata: meta,
          charges_enabled: true,
          payouts_enabled: true,
          details_submitted: true,
          balance: 0,
        });
      case 'GET /accounts/:id':
        return this.get(id, 'account');
      case 'POST /account_links':
        this.get(String(p.account), 'account');
        return {
          object: 'account_link',
          created: now(),
          expires_at: now() + 300,
          url: `${this.url}/connect/${String(p.account)}?return=${encodeURIComponent(String(p.return_url ?? ''))}`,
        };
      case 'POST /checkout/sessions': {
        const mode = String(p.mode ?? 'payment');
        const items = (p.line_items ?? []) as {
          quantity?: string;
          price_data?: { unit_amount?: string; currency?: string; product_data?: { name?: string }; recurring?: { interval?: string } };
        }[];
        if (!items.length) throw new StripeError(400, 'invalid_request_error', 'line_items is required', 'parameter_missing', 'line_items');
        if (!p.success_url)
          throw new StripeError(400, 'invalid_request_error', 'success_url is required', 'parameter_missing', 'success_url');
        const lines = items.map((li, i) => {
          const pd = li.price_data ?? {};
          const unit = int(pd.unit_amount, `line_items[${i}][price_data][unit_amount]`);
          const interval = pd.recurring?.interval;
          if (mode === 'subscription' && interval !== 'month' && interval !== 'year')
            throw new StripeError(
              400,
              'invalid_request_error',
              'recurring.interval must be month or year',
              undefined,
              `line_items[${i}][price_data][recurring][interval]`,
            );
          return {
            quantity: int(li.quantity ?? '1', `line_items[${i}][quantity]`),
            price_data: {
              unit_amount: unit,
              currency: pd.currency ?? 'usd',
              product_data: { name: pd.product_data?.name ?? '' },
              ...(interval ? { recurring: { interval } } : {}),
            },
          };
        });
        const total = lines.reduce((a, l) => a + l.quantity * l.price_data.unit_amount, 0);
        const s = this.create('cs', 'checkout.session', {
          mode,
          status: 'open',
          payment_status: 'unpaid',
          amount_total: total,
          currency: 'usd',
          client_reference_id: p.client_reference_id ?? null,
          customer: p.customer ?? null,
          customer_email: p.customer_email ?? null,
          metadata: meta,
          payment_intent: null,
          subscription: null,
          payment_intent_data: p.payment_intent_data ?? null,
          subscription_data: p.subscription_data ?? null,
          line_items: lines,
          success_url: p.success_url,
          cancel_url: p.cancel_url ?? null,
          expires_at: p.expires_at ? int(p.expires_at, 'expires_at') : now() + 1800,
        });
        s.url = `${this.url}/checkout/${s.id}`;
        return s;
      }
      case 'GET /checkout/sessions':
        return this.list_(
          (o) =>
            o.object === 'checkout.session' &&
            (!p.payment_intent || o.payment_intent === p.payment_intent) &&
            (!p.subscription || o.subscription === p.subscription),
        );
      case 'GET /checkout/sessions/:id':
        return this.expand(this.get(id, 'checkout.session'), expandPaths);
      case 'POST /checkout/sessions/:id/expire': {
        const s = this.get(id, 'checkout.session');
        if (s.status !== 'open')
          throw new StripeError(400, 'invalid_request_error', `Only open sessions can be expired (this one is ${String(s.status)})`);
        s.status = 'expired';
        this.emit('checkout.session.expired', s);
        return s;
      }
      case 'GET /payment_intents/:id':
        return this.expand(this.get(id, 'payment_intent'), expandPaths);
      case 'GET /charges/:id':
        return this.expand(this.get(id, 'charge'), expandPaths);
      case 'GET /invoices/:id':
        return this.expand(this.get(id, 'invoice'), expandPaths);
      case 'POST /refunds': {
        const pi = p.payment_intent ? this.get(String(p.payment_intent), 'payment_intent') : null;
        const ch = this.get(String(p.charge ?? pi?.latest_charge ?? ''), 'charge');
        const left = Number(ch.amount) - Number(ch.amount_refunded);
        const amount = p.amount !== undefined ? int(p.amount, 'amount') : left;
        if (left <= 0)
          throw new StripeError(400, 'invalid_request_error', `Charge ${ch.id} has already been refunded.`, 'charge_already_refunded');
        if (amount > left)
          throw new StripeError(
            400,
            'invalid_request_error',
            `Refund amount ($${amount / 100}) is greater than unrefunded amount on charge ($${left / 100})`,
            'amount_too_large',
            'amount',
          );
        const r = this.create('re', 'refund', {
          amount,
          currency: 'usd',
          charge: ch.id,
          payment_intent: ch.payment_intent,
          status: 'succeeded',
          reason: p.reason ?? null,
          metadata: meta,
        });
        ch.amount_refunded = Number(ch.amount_refunded) + amount;
        ch.refunded = ch.amount_refunded === ch.amount;
        this.state.platformBalance -= amount;
        this.emit('charge.refunded', ch);
        return r;
      }
      case 'GET /refunds':
        return this.list_(
          (o) =>
            o.object === 'refund' && (!p.charge || o.charge === p.charge) && (!p.payment_intent || o.payment_intent === p.payment_intent),
        );
      case 'GET /refunds/:id':
        return this.get(id, 'refund');
      case 'POST /transfers': {
        const acct = this.get(String(p.destination ?? ''), 'account');
        const amount = int(p.amount, 'amount');
        if (amount < 1) throw new StripeError(400, 'invalid_request_error', 'Amount must be at least 1 cent', 'amount_too_small', 'amount');
        if (p.source_transaction) {
          const ch = this.get(String(p.source_transaction), 'charge');
          if (amount > Number(ch.amount))
            throw new StripeError(400, 'invalid_request_error', 'Transfer exceeds its source transaction', 'amount_too_large', 'amount');
        }
        acct.balance = Number(acct.balance) + amount;
        this.state.platformBalance -= amount;
        return this.create('tr', 'transfer', {
          amount,
          amount_reversed: 0,
          currency: 'usd',
          destination: acct.id,
          transfer_group: p.transfer_group ?? null,
          source_transaction: p.source_transaction ?? null,
          reversed: false,
          metadata: meta,
          reversals: { object: 'list', data: [], has_more: false },
        });
      }
      case 'GET /transfers':
        return this.list_(
          (o) =>
            o.object === 'transfer' &&
            (!p.transfer_group || o.transfer_group === p.transfer_group) &&
            (!p.destination || o.destination === p.destination),
          100,
        );
      case 'GET /transfers/:id':
        return this.get(id, 'transfer');
      case 'POST /transfers/:id/reversals': {
        const tr = this.get(id, 'transfer');
        const left = Number(tr.amount) - Number(tr.amount_reversed);
        const amount = p.amount !== undefined ? int(p.amount, 'amount') : left;
        if (amount > left)
          throw new StripeError(
            400,
            'invalid_request_error',
            'Reversal exceeds what is left of the transfer',
            'amount_too_large',
            'amount',
          );
        const acct = this.get(String(tr.destination), 'account');
        if (Number(acct.balance) < amount)
          throw new StripeError(
            400,
            'invalid_request_error',
            'Insufficient funds in the connected account to reverse this transfer',
            'insufficient_funds',
          );
        acct.balance = Number(acct.balance) - amount;
        this.state.platformBalance += amount;
        tr.amount_reversed = Number(tr.amount_reversed) + amount;
        tr.reversed = tr.amount_reversed === tr.amount;
        const rev = this.create('trr', 'transfer_reversal', { amount, currency: 'usd', transfer: tr.id, metadata: meta });
        (tr.reversals as { data: Obj[] }).data.push(rev);
        return rev;
      }
      case 'GET /subscriptions/:id':
        return this.get(id, 'subscription');
      case 'POST /subscriptions/:id': {
        const sub = this.get(id, 'subscription');
        if (p.cancel_at_period_end !== undefined) sub.cancel_at_period_end = p.cancel_at_period_end === 'true';
        if (p.metadata) sub.metadata = { ...(sub.metadata as object), ...meta };
        this.emit('customer.subscription.updated', sub);
        return sub;
      }
      case 'DELETE /subscriptions/:id': {
        const sub = this.get(id, 'subscription');
        Object.assign(sub, { status: 'canceled', ended_at: now() });
        this.emit('customer.subscription.deleted', sub);
        return sub;
      }
      default:
        throw new StripeError(
          404,
          'invalid_request_error',
          `Unrecognized request URL (${method}: ${path}) — the local test processor implements only what the marketplace uses`,
        );
    }
  }

  /** The labelled test checkout and Connect onboarding pages a buyer or creator is sent to. */
  private pages(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    const m = /^\/checkout\/(cs_[\w]+)(\/pay|\/cancel)?$/.exec(url.pathname);
    const html = (status: number, inner: string, formTargets: string[] = []) => {
      // The forms post here, then redirect back to the marketplace: form-action must allow that origin.
      const targets = [...new Set(formTargets.flatMap((u) => (/^https?:\/\//.test(u) ? [new URL(u).origin] : [])))].join(' ');
      res.writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${targets}`.trim(),
      });
      res.end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test checkout</title><style>body{font:16px system-ui;max-width:32rem;margin:3rem auto;padding:0 1rem}.banner{background:#fff3cd;border:2px solid #b58100;padding:.75rem;border-radius:6px;font-weight:600}button{font:inherit;padding:.5rem 1rem;margin-right:.5rem}</style></head><body><p class="banner" role="alert">${this.label}</p>${inner}</body></html>`,
      );
    };
    const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    if (m) {
      const s = this.state.objects[m[1] as string];
      if (!s || s.object !== 'checkout.session') return html(404, '<h1>No such checkout session</h1>');
      if (req.method === 'POST' && m[2] === '/pay') {
        void body;
        if (s.status === 'open') this.pay(s.id);
        res.writeHead(303, { location: String(s.success_url).replace('{CHECKOUT_SESSION_ID}', s.id) });
        return void res.end();
      }
      if (req.method === 'POST' && m[2] === '/cancel') {
        res.writeHead(303, { location: String(s.cancel_url ?? s.success_url) });
        return void res.end();
      }
      const lines = (
        s.line_items as {
          quantity: number;
          price_data: { unit_amount: number; product_data: { name: string }; recurring?: { interval: string } };
        }[]
      )
        .map(
          (l) =>
            `<li>${esc(l.price_data.product_data.name)} — $${(l.price_data.unit_amount / 100).toFixed(2)}${l.price_data.recurring ? ` per ${esc(l.price_data.recurring.interval)}` : ''}</li>`,
        )
        .join('');
      return html(
        200,
        `<h1>Checkout</h1><ul>${lines}</ul><p>Total: <strong>$${(Number(s.amount_total) / 100).toFixed(2)}</strong></p>${
          s.status === 'open'
            ? `<form method="post" action="/checkout/${s.id}/pay"><button type="submit">Pay with test card 4242</button></form><form method="post" action="/checkout/${s.id}/cancel"><button type="submit">Cancel</button></form>`
            : `<p>This session is ${esc(s.status)}.</p>`
        }`,
        [String(s.success_url ?? ''), String(s.cancel_url ?? '')],
      );
    }
    const c = /^\/connect\/(acct_[\w]+)$/.exec(url.pathname);
    if (c) {
      const ret = url.searchParams.get('return');
      return html(
        200,
        `<h1>Payout account connected</h1><p>Test account ${esc(c[1])} can receive transfers.</p>${ret ? `<p><a href="${esc(ret)}">Return to the marketplace</a></p>` : ''}`,
      );
    }
    html(404, '<h1>Not found</h1>');
  }
}

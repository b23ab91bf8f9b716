/**
 * The studio's connection to a marketplace: the configured URL (or the local one-box marketplace
 * `npm start` runs when none is set), the signed-in account, and the marketplace client generated
 * from the contract (`conn.client.<domain>.<route>`), the one way the studio calls the marketplace:
 * it runs over this connection's `request` (offline, 401 and error handling) and parses every
 * answer. The session token never reaches the renderer: it lives in this process and in a
 * SecretStore — Electron's safeStorage (OS keychain encryption) in the desktop app, an owner-only
 * file in browser mode.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { type AccountStatus, ApiError } from '../../../shared/api.ts';
import { buildPath, marketplaceContract } from '../../../shared/contracts/marketplace/index.ts';
import { MarketplaceUrl } from '../../../shared/contracts/studio/account.ts';
import type { UserView } from '../../../shared/marketplace.ts';
import { type MarketClient, type TransportOptions, createMarketClient } from '../market/client.ts';
import { KeyPins } from './key-pins.ts';

export interface SecretStore {
  /** How the secret is protected, shown in Settings. */
  readonly protection: string;
  read(): Promise<string | null>;
  write(value: string | null): Promise<void>;
}

export function atomicWrite(file: string, data: string | Buffer, mode: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

/** Browser mode: a file only the owner can read (0600). */
export class OwnerOnlyFileSecretStore implements SecretStore {
  readonly protection = 'owner-only file (0600)';
  constructor(private readonly file: string) {}
  async read() {
    return existsSync(this.file) ? readFileSync(this.file, 'utf8') || null : null;
  }
  async write(value: string | null) {
    atomicWrite(this.file, value ?? '', 0o600);
  }
}

/** Electron: encrypted with safeStorage by the main process (the backend asks it over its port). */
export class EncryptedFileSecretStore implements SecretStore {
  constructor(
    private readonly file: string,
    private readonly crypt: { encrypt(s: string): Promise<Buffer>; decrypt(b: Buffer): Promise<string> },
    /** How safeStorage protects it on this machine (electron/main/security.ts secretProtection). */
    readonly protection = 'encrypted with the OS keychain (Electron safeStorage)',
  ) {}
  async read() {
    if (!existsSync(this.file)) return null;
    const b = readFileSync(this.file);
    return b.length ? this.crypt.decrypt(b) : null;
  }
  async write(value: string | null) {
    atomicWrite(this.file, value ? await this.crypt.encrypt(value) : Buffer.alloc(0), 0o600);
  }
}

/** The settings file: the marketplace address checked by the contract's own schema (http(s) with a host). */
const Settings = z.object({ marketplaceUrl: MarketplaceUrl.nullable().default(null) });
export type StudioSettings = z.infer<typeof Settings>;

const Secret = z.object({ server: z.string(), token: z.string(), user: z.record(z.string(), z.unknown()) });

/** What Settings and the sidebar show (the contract's AccountStatus). */
export type ConnectionStatus = AccountStatus;

export class Connection {
  settings: StudioSettings = { marketplaceUrl: null };
  url: string | null = null;
  local = false;
  online = false;
  lastError: string | null = null;
  user: UserView | null = null;
  private token: string | null = null;
  private readonly settingsFile: string;
  /** The provenance signing keys pinned per marketplace. */
  readonly keyPins: KeyPins;
  /** Called after anything status() shows may have changed (the sync engine pushes it). */
  onChange: () => void = () => {};
  /** Every marketplace route, typed and parsed (electron/main/market/client.ts), over `request`. */
  readonly client: MarketClient = createMarketClient((method, path, opts) => this.request(method, path, opts));

  constructor(
    private readonly dataDir: string,
    readonly secrets: SecretStore,
    /** Starts the local marketplace (once) and returns its URL; absent where none can run. */
    private readonly startLocal: (() => Promise<string>) | null,
  ) {
    this.settingsFile = join(dataDir, 'settings.json');
    this.keyPins = new KeyPins(join(dataDir, 'provenance-keys.json'));
  }

  /** Which marketplace the links, outbox and index copy belong to. */
  get server(): string | null {
    return this.local ? 'local' : this.url;
  }

  async open(): Promise<void> {
    if (existsSync(this.settingsFile)) {
      const parsed = Settings.safeParse(JSON.parse(readFileSync(this.settingsFile, 'utf8')));
      if (parsed.success) this.settings = parsed.data;
    }
    await this.resolveUrl();
    const raw = await this.secrets.read().catch(() => null);
    const s = raw ? Secret.safeParse(JSON.parse(raw)) : null;
    if (s?.success && s.data.server === this.server) {
      this.token = s.data.token;
      this.user = s.data.user as unknown as UserView;
    }
  }

  private async resolveUrl(): Promise<void> {
    if (this.settings.marketplaceUrl) {
      this.url = this.settings.marketplaceUrl.replace(/\/?$/, '/');
      this.local = false;
    } else if (this.startLocal) {
      this.url = await this.startLocal();
      this.local = true;
    } else {
      this.url = null;
      this.local = false;
    }
  }

  /** Changing the marketplace signs out (a session belongs to one marketplace). */
  async setSettings(next: StudioSettings): Promise<{ changed: boolean }> {
    const checked = Settings.safeParse(next);
    if (!checked.success)
      throw new ApiError('invalid_input', checked.error.issues[0]?.message ?? 'Marketplace URL is not valid', 'marketplaceUrl');
    const parsed = checked.data;
    const changed = parsed.marketplaceUrl !== this.settings.marketplaceUrl;
    atomicWrite(this.settingsFile, JSON.stringify(parsed, null, 2), 0o600);
    this.settings = parsed;
    if (changed) {
      await this.forget();
      await this.resolveUrl();
      this.onChange();
    }
    return { changed };
  }

  status(): ConnectionStatus {
    return {
      url: this.url,
      local: this.local,
      server: this.server,
      online: this.online,
      lastError: this.lastError,
      user: this.user,
      tokenProtection: this.secrets.protection,
    };
  }

  get signedIn(): boolean {
    return this.token !== null;
  }

  private async remember(session: { token: string; user: UserView }) {
    this.token = session.token;
    this.user = session.user;
    await this.secrets.write(JSON.stringify({ server: this.server, token: session.token, user: session.user }));
    this.onChange();
  }

  private async forget() {
    this.token = null;
    this.user = null;
    await this.secrets.write(null);
    this.onChange();
  }

  async signUp(input: { email: string; password: string; displayName: string }): Promise<ConnectionStatus> {
    await this.remember(await this.client.accounts.register({ body: input, auth: false }));
    return this.status();
  }

  async signIn(input: { email: string; password: string }): Promise<ConnectionStatus> {
    await this.remember(await this.client.accounts.login({ body: input, auth: false }));
    return this.status();
  }

  async signOut(): Promise<ConnectionStatus> {
    if (this.token) await this.client.accounts.logout().catch(() => undefined);
    await this.forget();
    return this.status();
  }

  /** Refreshes the account (roles and tier change on the server). A revoked token signs out. */
  async refreshUser(): Promise<void> {
    if (!this.token) return;
    try {
      const u = await this.client.accounts.me();
      this.user = u;
      await this.secrets.write(JSON.stringify({ server: this.server, token: this.token, user: u }));
      this.onChange();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) await this.forget();
      else throw e;
    }
  }

  /**
   * Where a version's media file is (the contract's media route) and the Authorization it needs,
   * for the main process to stream the answer itself with Range; the page never receives this.
   */
  mediaSource(assetId: string, version?: number): { url: string; authorization: string | null } {
    if (!this.url) throw new ApiError('not_connected', 'no marketplace is configured: set its URL in Settings', 'marketplaceUrl', 409);
    if (!this.token) throw new ApiError('signed_out', 'sign in to the marketplace first', undefined, 401);
    const path = buildPath(marketplaceContract.media.assetMedia, { id: assetId }, { version });
    return { url: new URL(path.replace(/^\//, ''), this.url).toString(), authorization: `Bearer ${this.token}` };
  }

  /**
   * One marketplace request, the client's transport. Network failures become `offline` (status
   * 503) and server errors keep the server's code, message, field and details, so the renderer
   * shows them as they are.
   */
  private async request(method: string, path: string, opts: TransportOptions = {}): Promise<unknown> {
    if (!this.url) throw new ApiError('not_connected', 'no marketplace is configured: set its URL in Settings', 'marketplaceUrl', 409);
    const headers: Record<string, string> = {};
    if (opts.auth !== false) {
      if (!this.token) throw new ApiError('signed_out', 'sign in to the marketplace first', undefined, 401);
      headers.authorization = `Bearer ${this.token}`;
    }
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    let body: string | FormData | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.form) body = opts.form;
    let res: Response;
    try {
      res = await fetch(new URL(path.replace(/^\//, ''), this.url), {
        method,
        headers,
        body: body ?? null,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
    } catch (e) {
      this.online = false;
      this.lastError = `the marketplace at ${this.url} is unreachable (${(e as Error).message})`;
      this.onChange();
      throw new ApiError('offline', this.lastError, undefined, 503);
    }
    this.online = true;
    this.lastError = null;
    this.onChange();
    if (res.ok && opts.bytes) return Buffer.from(await res.arrayBuffer());
    const text = await res.text();
    if (res.ok && (opts.text || !text)) return opts.text ? text : null;
    if (res.ok)
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new ApiError(
          'bad_response',
          `the marketplace answered ${method} ${path.split('?')[0]} with a body that is not JSON`,
          undefined,
          502,
        );
      }
    let err: { code?: string; message?: string; field?: string; details?: Record<string, unknown> } = {};
    try {
      err = (JSON.parse(text) as { error?: typeof err }).error ?? {};
    } catch {
      /* not JSON */
    }
    if (res.status === 401 && opts.auth !== false && this.token) await this.forget();
    throw new ApiError(
      err.code ?? `http_${res.status}`,
      err.message ?? `the marketplace answered ${res.status}`,
      err.field,
      res.status,
      err.details,
    );
  }
}

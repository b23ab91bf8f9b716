/** The studio's contract, settings and account domain: which marketplace the studio talks to, and the creator's account there. */
import { z } from 'zod';
import { LoginInput, RegisterInput, type UserView } from '../../marketplace.ts';
import type { HandlerMap } from './common.ts';

export interface AccountStatus {
  url: string | null;
  local: boolean;
  server: string | null;
  online: boolean;
  lastError: string | null;
  user: UserView | null;
  tokenProtection: string;
}

/** A marketplace's address: a web address over http(s) only (the studio sends its session token there). */
export const MarketplaceUrl = z
  .string()
  .trim()
  .max(500, 'Marketplace URL can be at most 500 characters')
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'Marketplace URL must be a web address starting with http:// or https://, like https://market.example.com');

export const accountInputs = {
  'settings.get': z.object({}),
  'settings.set': z.object({ marketplaceUrl: MarketplaceUrl.nullable() }),
  'account.status': z.object({}),
  'account.signUp': RegisterInput,
  'account.signIn': LoginInput,
  'account.signOut': z.object({}),
} as const;

export interface AccountOutputs {
  'settings.get': { marketplaceUrl: string | null };
  'settings.set': { marketplaceUrl: string | null; changed: boolean };
  'account.status': AccountStatus;
  'account.signUp': AccountStatus;
  'account.signIn': AccountStatus;
  'account.signOut': AccountStatus;
}

export type AccountHandlers = HandlerMap<typeof accountInputs, AccountOutputs>;

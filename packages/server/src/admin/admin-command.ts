import type { ParseArgsConfig } from 'node:util';
import type { SessionService } from '../auth/sessions/session-service.ts';
import type { TwoFactorService } from '../auth/two-factor/two-factor-service.ts';
import type { Clock } from '../clock/clock.ts';
import type { NetworkContext } from '../network/network-context.ts';
import type { NetworkBackChannel } from '../network/portal-side/network-back-channel.ts';
import type { PortalNetworkTrustStore } from '../network/portal-side/portal-network-trust.ts';
import type { OAuthAppAdministration } from '../oauth/oauth-app-administration.ts';
import type { PortalStore } from '../portals/portal-store.ts';
import type { Database } from '../storage/database.ts';
import type { UserStore } from '../users/user-store.ts';
import type { IncomingWebhookStore } from '../webhooks/incoming-webhook-store.ts';
import { UsageError } from './admin-errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
/** `string[]` for an option declared `multiple`, given once or more. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** Where a command writes; the CLI gives it the process's streams, tests read them back. */
export interface AdminOutput {
  /** Results: one line a call. */
  line(text: string): void;
  json(value: unknown): void;
  /** Whether `--json` was asked for. */
  readonly wantsJson: boolean;
}

/** The server's services the commands work with (the CLI builds them as the server does). */
export interface AdminServices {
  db: Database;
  clock: Clock;
  portals: PortalStore;
  users: UserStore;
  sessions: SessionService;
  twoFactor: TwoFactorService;
  webhooks: IncomingWebhookStore;
  oauthAppAdministration: OAuthAppAdministration;
  network: NetworkContext;
  portalNetworkTrust: PortalNetworkTrustStore;
  networkBackChannel: NetworkBackChannel;
}

export interface AdminEnvironment {
  db: Database;
  context: AdminServices;
  out: AdminOutput;
  /** The server's port (PORT), to write `*.localhost` portal addresses. */
  port: number;
  /** PORTALDESK_DATA. */
  dataDir: string;
  /** Asks for a new password on the terminal, or reads it from stdin with `--password-stdin`. */
  readPassword(fromStdin: boolean): Promise<string>;
  /** Everything piped to stdin (a secret given with `--…-stdin`). */
  readStdin(): Promise<string>;
}

export interface AdminCommand {
  /** Words typed after `portaldesk`: `['user', 'create']`. */
  words: readonly [string, string];
  summary: string;
  /** Option lines for `--help`, one per option. */
  help: readonly string[];
  options: OptionSpec;
  /** Options that must be given; checked before the database is opened, so mistakes fail fast. */
  required?: readonly string[];
  /** Further checks that need no database, run before it is opened. */
  check?(values: OptionValues): void;
  /**
   * The command brings the database's schema up to date itself (it is given it unmigrated, even
   * beside the earlier engine's data, which stops every other command).
   */
  migratesItself?: true;
  run(values: OptionValues, env: AdminEnvironment): Promise<void>;
}

/** The value of a string option, or the usage error naming it. */
export function requiredString(values: OptionValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`Missing --${name}`);
  }
  return value.trim();
}

export function optionalString(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  if (typeof value !== 'string') return undefined;
  return value.trim() === '' ? undefined : value.trim();
}

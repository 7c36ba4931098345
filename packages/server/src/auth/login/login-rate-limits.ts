import type { LoginIdentifier } from '@portaldesk/protocol';
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { createRateLimiter } from '../rate-limiter.ts';

/**
 * What failed sign-ins are counted against.
 *
 * - `address`: the client's IP address. Stops one machine spraying guesses over many accounts.
 * - `account`: the person the login names (`acme:person:7`), so that one person's e-mail, phone
 *   and user name share one count; a login that names nobody counts as typed and normalised
 *   (`acme:email:ghost@acme.test`), so that it is blocked exactly like a real one (see
 *   `accountLimitKey`). Stops a botnet guessing one account from many addresses.
 * - `device`: a known client of that account (its device cookie, see below).
 *
 * Locking an account on failures alone would let any stranger lock a real user out by typing
 * wrong passwords for them. So, as OWASP's "device cookies" scheme recommends, a client that
 * has signed in to the account before (it sends back the device cookie we set then) is not
 * subject to the `address` and `account` limits at all: its failures count only against its
 * own `device` bucket. A desktop signing in with its application password is not limited either
 * — 160 random bits cannot be guessed, and that is the desktop's normal way in. A stranger can
 * therefore lock out only strangers (new clients) of that account, for one window.
 */
export type LimitKind = 'address' | 'account' | 'device';

export interface LimitRule {
  /** Failures allowed in one window. */
  failures: number;
  windowSeconds: number;
}

export type LoginLimitSettings = Record<LimitKind, LimitRule>;

export const DEFAULT_LOGIN_LIMITS: LoginLimitSettings = {
  address: { failures: 50, windowSeconds: 15 * 60 },
  account: { failures: 10, windowSeconds: 15 * 60 },
  device: { failures: 10, windowSeconds: 15 * 60 },
};

export interface LimitKey {
  kind: LimitKind;
  key: string;
}

/**
 * The `account` key of a sign-in in `scope` (a portal id, or `network`): the person when the login
 * resolves to one (`personId`), else the normalised login. Either way the key is made from what
 * the sign-in looked up anyway, costs the same, and leads to the same answers, so it does not
 * tell which logins exist. (Once a person is blocked, each of their logins answers as blocked:
 * that is the point; it tells a guesser that those logins are one person only after spending
 * that person's failures.)
 */
export function accountLimitKey(scope: string, personId: number | null, login: LoginIdentifier): string {
  return personId === null ? `${scope}:${login.kind}:${login.value}` : `${scope}:person:${personId}`;
}

/**
 * Failure counters, in memory for one process or in Redis (`REDIS_URL`) so that every process
 * behind a load balancer counts the same failures.
 */
export class LoginRateLimits {
  private readonly limiters: Record<LimitKind, RateLimiterAbstract>;

  constructor(
    private readonly settings: LoginLimitSettings = DEFAULT_LOGIN_LIMITS,
    redis?: Redis,
  ) {
    const make = (kind: LimitKind) =>
      createRateLimiter(
        {
          keyPrefix: `portaldesk:login:${kind}`,
          points: settings[kind].failures,
          duration: settings[kind].windowSeconds,
        },
        redis,
      );
    this.limiters = { address: make('address'), account: make('account'), device: make('device') };
  }

  /** Seconds until the first of these keys may try again; 0 when none is blocked. */
  async blockedFor(keys: readonly LimitKey[]): Promise<number> {
    let wait = 0;
    for (const { kind, key } of keys) {
      const state = await this.limiters[kind].get(key);
      if (state && state.consumedPoints >= this.settings[kind].failures) {
        wait = Math.max(wait, Math.ceil(state.msBeforeNext / 1000));
      }
    }
    return wait;
  }

  async recordFailure(keys: readonly LimitKey[]): Promise<void> {
    for (const { kind, key } of keys) {
      try {
        await this.limiters[kind].consume(key);
      } catch (error) {
        // Over the limit: the rejection is the limiter's answer, not a failure of ours.
        if (!(error instanceof RateLimiterRes)) throw error;
      }
    }
  }

  async reset(keys: readonly LimitKey[]): Promise<void> {
    for (const { kind, key } of keys) await this.limiters[kind].delete(key);
  }
}

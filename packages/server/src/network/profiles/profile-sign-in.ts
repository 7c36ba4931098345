import { classifyLogin } from '@portaldesk/protocol';
import { accountLimitKey, type LimitKey, type LoginRateLimits } from '../../auth/login/login-rate-limits.ts';
import type { PasswordHasher } from '../../auth/password-hasher.ts';
import { totpStepOf } from '../../auth/two-factor/totp.ts';
import type { Clock } from '../../clock/clock.ts';
import { randomToken } from '../../secrets/random-secret.ts';
import type { Profile } from './profile.ts';
import type { ProfileStore } from './profile-store.ts';

export type SignInOutcome =
  | { kind: 'signed-in'; profile: Profile }
  /** Wrong login or password: one answer for both, so that logins cannot be enumerated. */
  | { kind: 'failed' }
  /** The password was right; a one-time code is needed (or the one given was wrong). */
  | { kind: 'need-otp' }
  | { kind: 'rate-limited'; retryAfterSeconds: number };

export interface SignInAttempt {
  login: string;
  password: string;
  otp?: string | undefined;
  ip: string;
}

/**
 * Network sign-in: password (argon2id), then TOTP when the profile has it, with the portal
 * sign-in's rate limits and TOTP code (`auth/`). Unknown logins cost the same argon2 work as
 * known ones (a dummy hash is verified) and get the same answer.
 *
 * Failures count against the client's address and against the person *from that address*
 * (their e-mail and phone share one count; a login that names nobody counts on its own). The
 * portal's sign-in exempts known devices from its per-person limit with a device cookie; the
 * Network instead keys that limit by person and address, so that a stranger guessing someone's
 * password from elsewhere blocks only themselves and the owner still signs in.
 */
export class ProfileSignIn {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly profiles: ProfileStore,
    private readonly limits: LoginRateLimits,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async attempt({ login, password, otp, ip }: SignInAttempt): Promise<SignInOutcome> {
    const dummyHash = this.dummy();
    // Phone numbers without a country code are read as US ones: the Network has no home country.
    const identifier = classifyLogin(login, 'US');
    const found = await this.profiles.findForSignIn(identifier);
    const limitKeys: LimitKey[] = [
      { kind: 'address', key: ip },
      { kind: 'account', key: `${accountLimitKey('network', found?.profile.id ?? null, identifier)}|${ip}` },
    ];
    const wait = await this.limits.blockedFor(limitKeys);
    if (wait > 0) return { kind: 'rate-limited', retryAfterSeconds: wait };
    const passwordOk = await this.hasher.verify(found?.passwordHash ?? (await dummyHash), password);
    if (!found || !passwordOk) {
      await this.limits.recordFailure(limitKeys);
      return { kind: 'failed' };
    }
    if (found.totpSecret) {
      if (otp === undefined || otp === '') return { kind: 'need-otp' };
      const step = totpStepOf(found.totpSecret, otp.trim(), this.clock.now());
      if (step === null || !(await this.profiles.claimTotpStep(found.profile.id, step))) {
        await this.limits.recordFailure(limitKeys);
        return { kind: 'need-otp' };
      }
    }
    // The address bucket is not cleared: one valid account must not reset a guesser's counter.
    await this.limits.reset(limitKeys.filter((k) => k.kind !== 'address'));
    return { kind: 'signed-in', profile: found.profile };
  }

  /** Hashed once per process, lazily: the work of checking an unknown login. */
  private dummy(): Promise<string> {
    if (!this.dummyHash) {
      const made = this.hasher.hash(randomToken());
      made.catch(() => {
        if (this.dummyHash === made) this.dummyHash = undefined;
      });
      this.dummyHash = made;
    }
    return this.dummyHash;
  }
}

import { Secret, TOTP } from 'otpauth';

/** RFC 6238 with the parameters every authenticator app supports. */
const PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

/** Codes one step before or after the current one are accepted, for clocks that drift. */
const DRIFT_STEPS = 1;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function isTotpSecret(base32: string): boolean {
  try {
    return Secret.fromBase32(base32).bytes.length >= 10;
  } catch {
    return false;
  }
}

export function totpUri(secret: string, issuer: string, label: string): string {
  return new TOTP({ ...PARAMETERS, issuer, label, secret: Secret.fromBase32(secret) }).toString();
}

/** The code for a moment (tests, demo). */
export function totpCode(secret: string, at: Date): string {
  return TOTP.generate({ ...PARAMETERS, secret: Secret.fromBase32(secret), timestamp: at.getTime() });
}

/** The time step the code belongs to, or null when it matches none within the allowed drift. */
export function totpStepOf(secret: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const timestamp = at.getTime();
  const delta = TOTP.validate({
    ...PARAMETERS,
    secret: Secret.fromBase32(secret),
    token: code,
    timestamp,
    window: DRIFT_STEPS,
  });
  return delta === null ? null : TOTP.counter({ period: PARAMETERS.period, timestamp }) + delta;
}

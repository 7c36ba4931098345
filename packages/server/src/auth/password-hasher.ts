import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id`; the library exports it as a const enum, which isolated modules cannot read. */
const ARGON2ID = 2;

/**
 * argon2id at no less than OWASP's minimum (19 MiB, 2 passes, 1 lane). The parameters travel
 * inside each hash, so raising them later still verifies old hashes.
 */
const PARAMETERS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMETERS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Hashing as a dependency, so that sign-in can be shown to do the same work for an unknown
 * login as for a known one (tests count the verifications).
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
}

export const argon2PasswordHasher: PasswordHasher = { hash: hashPassword, verify: verifyPassword };

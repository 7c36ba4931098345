import { hashPassword } from '../auth/password-hasher.ts';
import type { NewUser } from '../users/user-store.ts';
import type { TestServer } from './test-server.ts';

/** A portal user with a password, created straight in storage (the admin CLI's job in production). */
export async function createUserWithPassword(server: TestServer, portalId: number, input: NewUser, password: string) {
  const user = await server.context.users.create(portalId, input);
  await server.context.users.setPasswordHash(portalId, user.id, await hashPassword(password));
  return user;
}

/** Asserts that none of `secrets` appears in any log line the server wrote. */
export function leakedSecrets(server: TestServer, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => secret.length > 0 && server.logs.some((line) => line.includes(secret)));
}

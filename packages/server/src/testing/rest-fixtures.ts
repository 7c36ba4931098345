import type { Portal } from '../portals/portal.ts';
import type { User } from '../users/user.ts';
import type { TestServer } from './test-server.ts';

export interface PortalFixture {
  portal: Portal;
  users: User[];
}

/** A portal with `count` users, the first an administrator: `User1 Tester1 <user1@domain>`. */
export async function createPortalWithUsers(server: TestServer, domain: string, count: number): Promise<PortalFixture> {
  const portal = await server.context.portals.create({ domain, name: domain });
  const users: User[] = [];
  for (let i = 1; i <= count; i++) {
    users.push(
      await server.context.users.create(portal.id, {
        firstName: `User${i}`,
        lastName: `Tester${i}`,
        email: `user${i}@${domain}`,
        phone: `+1555000${String(i).padStart(4, '0')}`,
        isAdmin: i === 1,
      }),
    );
  }
  return { portal, users };
}

/** A new incoming webhook's base URL, `<portal>/rest/<userId>/<secret>/`. */
export async function createWebhookUrl(
  server: TestServer,
  portal: Portal,
  userId: number,
  scopes: readonly string[],
): Promise<string> {
  const created = await server.context.webhooks.create({ portalId: portal.id, userId, scopes });
  return `${server.portalUrl(portal.domain)}${created.path}`;
}

/** Calls a REST method with a JSON body and returns the status and parsed answer. */
export async function callRest(
  server: TestServer,
  url: string,
  body: unknown = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await server.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

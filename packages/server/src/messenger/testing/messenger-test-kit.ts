import assert from 'node:assert/strict';
import type { Portal } from '../../portals/portal.ts';
import type { PushEvent } from '../../realtime/push-event.ts';
import type { AuthContext } from '../../rest/auth-context.ts';
import { RestError } from '../../rest/rest-error.ts';
import type { RestResult } from '../../rest/rest-method.ts';
import { createUserWithPassword } from '../../testing/auth-fixtures.ts';
import { TestDesktop } from '../../testing/test-desktop.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

export interface TestUser {
  id: number;
  portal: Portal;
  name: string;
}

/**
 * A real server with two portals and users in them, and a way to call REST methods as those
 * users over real HTTP: signed in with a password (`session`, the default) or through an incoming
 * webhook of theirs with the `im` scope (`webhook`, for what a session may not do). `oauth` goes
 * through the real dispatcher with an application's auth (scope and parameter checks included).
 */
export interface MessengerTestKit {
  server: TestServer;
  acme: Portal;
  globex: Portal;
  alice: TestUser;
  bob: TestUser;
  carol: TestUser;
  /** A user of the other portal. */
  dave: TestUser;
  call(user: TestUser, method: string, params?: Record<string, unknown>, via?: AuthContext['via']): Promise<RestResult>;
  /** Calls a method that must fail; returns its code and HTTP status. */
  fail(
    user: TestUser,
    method: string,
    params?: Record<string, unknown>,
    via?: AuthContext['via'],
  ): Promise<{ code: string; status: number }>;
  /** The user's signed-in desktop, for calls made by hand (without `sessid`, say). */
  desktopOf(user: TestUser): TestDesktop;
  /** The user's sequence number now, to read events after it later. */
  mark(user: TestUser): Promise<number>;
  /** Events the user got since `mark`. */
  eventsSince(user: TestUser, mark: number): Promise<PushEvent[]>;
  close(): Promise<void>;
}

export async function startMessengerTestKit(): Promise<MessengerTestKit> {
  // Tests send faster than any person; the limit itself is tested on its own.
  const server = await startTestServer({ config: { sendRateLimit: { messages: 100_000, seconds: 1 } } });
  const { portals, dispatcher, events } = server.context;
  const acme = await portals.create({ domain: 'acme.localhost', name: 'Acme' });
  const globex = await portals.create({ domain: 'globex.localhost', name: 'Globex' });
  const desktops = new Map<number, TestDesktop>();
  const person = async (portal: Portal, firstName: string, lastName: string): Promise<TestUser> => {
    const email = `${firstName.toLowerCase()}@${portal.domain}`;
    const password = `${firstName} password`;
    const user = await createUserWithPassword(server, portal.id, { firstName, lastName, email }, password);
    const desktop = new TestDesktop(server, portal.domain);
    assert.equal((await desktop.signIn(email, password)).status, 200, `${firstName} signs in`);
    desktops.set(user.id, desktop);
    return { id: user.id, portal, name: `${firstName} ${lastName}` };
  };
  const auth = (user: TestUser, via: AuthContext['via']): AuthContext => ({
    portal: user.portal,
    userId: user.id,
    via,
    scopes: via === 'session' ? 'all' : new Set(['im']),
    mayChangeState: true,
    credentialId: `test-${user.id}`,
  });
  // Webhook callers are limited like real portals; these tests call faster than that on purpose.
  server.context.restRateLimiter.settings.burst = 1_000_000;
  const webhookPaths = new Map<number, string>();
  const viaWebhook = async (user: TestUser, method: string, params: Record<string, unknown>) => {
    let path = webhookPaths.get(user.id);
    if (!path) {
      path = (await server.context.webhooks.create({ portalId: user.portal.id, userId: user.id, scopes: ['im'] })).path;
      webhookPaths.set(user.id, path);
    }
    const res = await server.fetch(`${server.portalUrl(user.portal.domain)}${path}${method}.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: (await res.json()) as { error?: string; error_description?: string } };
  };
  const call: MessengerTestKit['call'] = async (user, method, params = {}, via = 'session') => {
    if (via === 'oauth') return dispatcher.invoke({ method, params, auth: auth(user, via), ip: '127.0.0.1' });
    const reply =
      via === 'webhook'
        ? await viaWebhook(user, method, params)
        : await (desktops.get(user.id) as TestDesktop).rest(method, params);
    if (reply.body.error) throw new RestError(reply.body.error, reply.body.error_description ?? '', reply.status);
    assert.equal(reply.status, 200);
    return reply.body as RestResult;
  };
  return {
    server,
    acme,
    globex,
    alice: await person(acme, 'Alice', 'Archer'),
    bob: await person(acme, 'Bob', 'Baker'),
    carol: await person(acme, 'Carol', 'Cooper'),
    dave: await person(globex, 'Dave', 'Dunn'),
    call,
    async fail(user, method, params = {}, via = 'session') {
      try {
        await call(user, method, params, via);
      } catch (error) {
        if (error instanceof RestError) return { code: error.code, status: error.status };
        throw error;
      }
      assert.fail(`${method} was expected to fail`);
    },
    desktopOf: (user) => desktops.get(user.id) as TestDesktop,
    mark: (user) => events.lastSeq(user.id),
    async eventsSince(user, mark) {
      return (await events.readAfter(user.id, mark, 1000)).map((e) => e.event);
    },
    close: () => server.close(),
  };
}

/** The commands of a list of events, in order. */
export function commands(events: readonly PushEvent[]): string[] {
  return events.map((e) => e.command);
}

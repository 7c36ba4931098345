import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { manualClock } from '../../clock/clock.ts';
import { signIn } from '../../testing/oauth-fixtures.ts';
import { callRest, createPortalWithUsers, createWebhookUrl, type PortalFixture } from '../../testing/rest-fixtures.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

const clock = manualClock(new Date());
let server: TestServer;
let acme: PortalFixture;
let hook: string;

before(async () => {
  server = await startTestServer({ clock });
  acme = await createPortalWithUsers(server, 'acme.localhost', 1);
  hook = await createWebhookUrl(server, acme.portal, acme.users[0]!.id, ['user']);
  // Small enough to reach in a test: 3 at once, one more each second.
  server.context.restRateLimiter.settings.burst = 3;
  server.context.restRateLimiter.settings.drainPerSecond = 1;
});
after(() => server.close());

test('webhook callers get QUERY_LIMIT_EXCEEDED with 503 past the burst, and again after draining', async () => {
  for (let i = 0; i < 3; i++) assert.equal((await callRest(server, `${hook}profile`)).status, 200);
  const refused = await callRest(server, `${hook}profile`);
  assert.equal(refused.status, 503);
  assert.deepEqual(refused.body, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
  clock.advance(1000);
  assert.equal((await callRest(server, `${hook}profile`)).status, 200);
  assert.equal((await callRest(server, `${hook}profile`)).status, 503);
  clock.advance(3000);
});

test('a batch of many commands counts as one request', async () => {
  clock.advance(10_000);
  const cmd = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`c${i}`, 'profile']));
  const { status, body } = await callRest(server, `${hook}batch`, { cmd });
  assert.equal(status, 200);
  assert.equal(Object.keys((body.result as { result: object }).result).length, 20);
  assert.equal((await callRest(server, `${hook}profile`)).status, 200);
  assert.equal((await callRest(server, `${hook}profile`)).status, 200);
  assert.equal((await callRest(server, `${hook}profile`)).status, 503);
});

test('another portal has its own bucket', async () => {
  clock.advance(10_000);
  for (let i = 0; i < 3; i++) await callRest(server, `${hook}profile`);
  assert.equal((await callRest(server, `${hook}profile`)).status, 503);
  const other = await createPortalWithUsers(server, 'globex.localhost', 1);
  const otherHook = await createWebhookUrl(server, other.portal, other.users[0]!.id, ['user']);
  assert.equal((await callRest(server, `${otherHook}profile`)).status, 200);
});

test("the portal's own session callers are not limited this way", async () => {
  clock.advance(10_000);
  for (let i = 0; i < 3; i++) await callRest(server, `${hook}profile`);
  assert.equal((await callRest(server, `${hook}profile`)).status, 503, 'the webhook bucket is full');
  const session = await signIn(server, acme.portal, acme.users[0]!.id);
  for (let i = 0; i < 10; i++) {
    const res = await server.fetch(`${server.portalUrl('acme.localhost')}/rest/user.current.json`, {
      headers: session,
    });
    assert.equal(res.status, 200);
  }
});

// Sharing the bucket needs a Redis server; the suite runs this when CI provides one (REDIS_URL).
const redisUrl = process.env.REDIS_URL;
if (redisUrl)
  test('with Redis, two server processes share one bucket (REDIS_URL)', async () => {
    // One deployment of two processes: the same Redis namespace.
    const redisNamespace = `shared_${randomBytes(4).toString('hex')}`;
    const shared = manualClock(new Date());
    const servers = [
      await startTestServer({ clock: shared, config: { trustProxy: true, redisUrl, redisNamespace } }),
      await startTestServer({ clock: shared, config: { trustProxy: true, redisUrl, redisNamespace } }),
    ];
    try {
      // Redis outlives test runs; a client address of its own keeps this run's bucket apart.
      const headers = { 'x-forwarded-for': `100.64.${randomBytes(1)[0]}.${randomBytes(1)[0]}` };
      const hooks: string[] = [];
      for (const one of servers) {
        one.context.restRateLimiter.settings.burst = 3;
        const fixture = await createPortalWithUsers(one, 'acme.localhost', 1);
        hooks.push(await createWebhookUrl(one, fixture.portal, fixture.users[0]!.id, ['user']));
      }
      const call = async (i: number) => (await servers[i]!.fetch(`${hooks[i]}profile`, { headers })).status;
      assert.deepEqual([await call(0), await call(1), await call(0)], [200, 200, 200]);
      assert.equal(await call(1), 503, 'the other process saw the first three');
    } finally {
      for (const one of servers) await one.close();
    }
  });

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { manualClock } from '../clock/clock.ts';
import type { Portal } from '../portals/portal.ts';
import { PullTestClient } from '../testing/pull-test-client.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

const clock = manualClock(new Date());
let server: TestServer;
let acme: Portal;
let alice: number;

before(async () => {
  server = await startTestServer({ clock });
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  alice = (await server.context.users.create(acme.id, { firstName: 'Alice', lastName: 'A' })).id;
});
after(() => server.close());

test('a channel about to end tells its client to fetch a new config, and closes when it ends', async () => {
  const auth = { portal: acme, userId: alice, via: 'session' as const, scopes: 'all' as const, mayChangeState: true };
  const config = await server.context.realtime.config({ ...auth, credentialId: 'expiring' }, 'private');
  const ids = encodeURIComponent(`${config.channels.private.id}/${config.channels.shared.id}`);
  const client = PullTestClient.connect(`${config.server.websocket}?CHANNEL_ID=${ids}`);
  await client.opened;
  await client.call('ping');

  clock.advance(12 * 3600_000 - 4 * 60_000);
  server.context.realtime.keepalive.sweep();
  await client.waitForCount(1);
  assert.deepEqual(
    [client.received[0]?.moduleId, client.received[0]?.command, client.received[0]?.params.action],
    ['pull', 'channel_expire', 'get_config'],
  );
  // Asking again now gives a fresh channel, not the one that is ending.
  const fresh = await server.context.realtime.config({ ...auth, credentialId: 'expiring' }, 'private');
  assert.notEqual(fresh.channels.private.id, config.channels.private.id);

  clock.advance(5 * 60_000);
  server.context.realtime.keepalive.sweep();
  assert.equal(await client.closedWithin(), 3001);
  const late = PullTestClient.connect(`${config.server.websocket}?CHANNEL_ID=${ids}`);
  assert.equal(await late.closedWithin(), 4010);
});

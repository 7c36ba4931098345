import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DesktopLoginSuccessSchema,
  NETWORK_AVAILABILITY_PATH,
  NetworkPortalSchema,
  PortalAssertionResultSchema,
} from '@portaldesk/protocol';
import { desktopNetworkToken, networkRest } from '../network/testing/network-fixtures.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { DEMO_NETWORK_PROFILE, DEMO_PASSWORD } from './demo-data.ts';
import { seedDemoNetwork } from './seed-demo-network.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ config: { demo: true } });
});
after(() => server.close());

const carol = { login: DEMO_NETWORK_PROFILE.email, password: DEMO_PASSWORD };

async function carolsPortals(token: string) {
  const { status, body } = await networkRest(server, 'network.portal.list', token);
  assert.equal(status, 200, JSON.stringify(body));
  return NetworkPortalSchema.array().parse(body.result);
}

test('both demo portals offer "Sign in with Network"', async () => {
  for (const domain of ['acme.localhost', 'globex.localhost']) {
    const res = await server.fetch(`${server.portalUrl(domain)}${NETWORK_AVAILABILITY_PATH}`);
    assert.deepEqual(await res.json(), { available: true }, domain);
  }
});

test("Carol's Network profile lists her account in both demo portals, and each signs her in", async () => {
  const token = await desktopNetworkToken(server, carol);
  const portals = await carolsPortals(token);
  assert.deepEqual(
    portals.map((p) => [p.name, p.address, p.userName]),
    [
      ['Acme Corporation', server.portalUrl('acme.localhost'), 'Carol Davis'],
      ['Globex', server.portalUrl('globex.localhost'), 'Carol Davis'],
    ],
  );
  for (const portal of portals) {
    const { body } = await networkRest(server, 'network.portal.assertion', token, { PORTAL_ID: portal.id });
    const { assertion } = PortalAssertionResultSchema.parse(body.result);
    const res = await server.fetch(`${portal.address}/network/desktop_login/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ assertion, user_os_mark: 'demo-test', user_account: 'carol' }),
    });
    assert.equal(res.status, 200, portal.name);
    assert.equal(DesktopLoginSuccessSchema.parse(await res.json()).userId, portal.userId);
  }
});

test('seeding again (the next demo start) adds no portal, profile or link', async () => {
  const count = async (table: string) =>
    Number((await server.context.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
  const before = [await count('network_clients'), await count('network_profiles'), await count('network_links')];
  await seedDemoNetwork(server.context, server.portalUrl);
  const again = [await count('network_clients'), await count('network_profiles'), await count('network_links')];
  assert.deepEqual(again, before);
  assert.equal(before[2], 2, 'two links: Carol in Acme and in Globex');
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadConfig } from '../config/config.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

let portalOnly: TestServer;
let networkOnly: TestServer;

before(async () => {
  portalOnly = await startTestServer({ config: { roles: new Set(['portal']) } });
  networkOnly = await startTestServer({
    config: { roles: new Set(['network']), network: { domain: 'id.localhost', issuer: undefined } },
  });
  for (const server of [portalOnly, networkOnly]) {
    await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  }
});
after(async () => {
  await portalOnly.close();
  await networkOnly.close();
});

test('a portal-only process has no Network, even at the Network host', async () => {
  const res = await portalOnly.fetch(`${portalOnly.portalUrl('network.localhost')}/.well-known/jwks.json`);
  assert.doesNotMatch(await res.text(), /"keys"/);
  const rest = await portalOnly.fetch(`${portalOnly.portalUrl('acme.localhost')}/rest/server.time.json`);
  assert.equal(((await rest.json()) as { error: string }).error, 'NO_AUTH_FOUND', 'the portal itself answers');
});

test('a Network-only process answers at its configured host and serves no portal', async () => {
  const keys = await networkOnly.fetch(`${networkOnly.portalUrl('id.localhost')}/.well-known/jwks.json`);
  assert.equal(keys.status, 200);
  assert.equal(((await keys.json()) as { keys: { alg: string }[] }).keys[0]?.alg, 'ES256');
  const meta = await networkOnly.fetch(
    `${networkOnly.portalUrl('id.localhost')}/.well-known/oauth-authorization-server`,
  );
  assert.equal(((await meta.json()) as { issuer: string }).issuer, networkOnly.portalUrl('id.localhost'));
  const rest = await networkOnly.fetch(`${networkOnly.portalUrl('acme.localhost')}/rest/server.time.json`);
  assert.equal(rest.status, 404);
});

test('roles and the Network host come from the environment', () => {
  const config = loadConfig({
    PORTALDESK_ROLES: 'network',
    NETWORK_DOMAIN: 'ID.Example.com',
    NETWORK_ISSUER: 'https://id.example.com/',
  });
  assert.deepEqual([...config.roles], ['network']);
  assert.deepEqual(config.network, { domain: 'id.example.com', issuer: 'https://id.example.com' });
  assert.deepEqual([...loadConfig({}).roles].sort(), ['network', 'portal']);
  assert.throws(() => loadConfig({ PORTALDESK_ROLES: 'portal,mail' }), /PORTALDESK_ROLES/);
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { NetworkPortal } from '@portaldesk/protocol';
import type { Portal } from '../../portals/portal.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import { inviteUserToNetwork } from '../portal-side/invite-to-network.ts';
import { registerPortalWithNetwork } from '../portal-side/register-portal.ts';
import type { Profile } from '../profiles/profile.ts';
import {
  createProfile,
  desktopNetworkToken,
  logsContainAny,
  mailedToken,
  networkRest,
  networkUrl,
} from '../testing/network-fixtures.ts';

let server: TestServer;
let acme: Portal;
let globex: Portal;
let gone: Portal;
let ann: Profile;
let annToken: string;
let malloryToken: string;
const ids: Record<string, number> = {};
const PASSWORD = 'ann has a long password';
const secrets: string[] = [PASSWORD];

before(async () => {
  server = await startTestServer();
  const { portals, users } = server.context;
  acme = await portals.create({ domain: 'acme.localhost', name: 'Acme' });
  globex = await portals.create({ domain: 'globex.localhost', name: 'Globex' });
  gone = await portals.create({ domain: 'gone.localhost', name: 'Gone' });
  await registerPortalWithNetwork(server.context, acme, server.portalUrl('acme.localhost'));
  await registerPortalWithNetwork(server.context, globex, server.portalUrl('globex.localhost'));
  // Nothing listens on port 9 of this machine: the Network finds this portal unreachable.
  await registerPortalWithNetwork(server.context, gone, 'http://127.0.0.1:9');
  ids.acmeAnn = (await users.create(acme.id, { firstName: 'Ann', lastName: 'Acme', email: 'ann@example.com' })).id;
  ids.globexAnn = (await users.create(globex.id, { firstName: 'Annie', lastName: 'G', email: 'ann@example.com' })).id;
  ids.goneAnn = (await users.create(gone.id, { firstName: 'Ann', lastName: 'Gone', email: 'ann@example.com' })).id;
  ids.acmeLookalike = (await users.create(acme.id, { firstName: 'Not', lastName: 'Ann', email: 'ann@examp1e.com' })).id;
  ann = await createProfile(server, { email: 'ann@example.com', password: PASSWORD, displayName: 'Ann' });
  await createProfile(server, { email: 'mallory@example.com', password: PASSWORD, verified: true });
  annToken = await desktopNetworkToken(server, { login: 'ann@example.com', password: PASSWORD });
  malloryToken = await desktopNetworkToken(server, { login: 'mallory@example.com', password: PASSWORD });
  secrets.push(annToken, malloryToken);
});
after(() => server.close());

async function portalList(token: string): Promise<NetworkPortal[]> {
  const { status, body } = await networkRest(server, 'network.portal.list', token);
  assert.equal(status, 200, JSON.stringify(body));
  return body.result as NetworkPortal[];
}

test('a portal account with the same e-mail is not linked without proof', async () => {
  assert.deepEqual(await portalList(annToken), []);
});

test('an invitation cannot be accepted before the profile has verified that e-mail', async () => {
  await inviteUserToNetwork(server.context, acme, ids.acmeAnn as number);
  const token = await mailedToken(server, 'ann@example.com', 'portal-invitation');
  secrets.push(token);
  const res = await networkRest(server, 'network.link.accept', annToken, { TOKEN: token });
  assert.equal(res.status, 403);
  assert.equal(res.body.error, 'ACCESS_DENIED');
  assert.deepEqual(await portalList(annToken), []);
});

test('another profile holding the mailed token cannot take the account; a guessed token does nothing', async () => {
  const token = await mailedToken(server, 'ann@example.com', 'portal-invitation');
  const stolen = await networkRest(server, 'network.link.accept', malloryToken, { TOKEN: token });
  assert.equal(stolen.status, 403);
  const guessed = await networkRest(server, 'network.link.accept', malloryToken, { TOKEN: 'x'.repeat(43) });
  assert.equal(guessed.status, 404);
  assert.deepEqual(await portalList(malloryToken), []);
});

test('after verifying the e-mail, accepting the invitation lists the portal with the name used there', async () => {
  await server.context.network.emailVerification.send(ann);
  const verify = await mailedToken(server, 'ann@example.com', 'verify-email');
  secrets.push(verify);
  const confirmed = await server.fetch(`${networkUrl(server)}/rest/network.email.confirm.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ TOKEN: verify }),
  });
  assert.equal(confirmed.status, 200);
  const again = await server.fetch(`${networkUrl(server)}/rest/network.email.confirm.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ TOKEN: verify }),
  });
  assert.equal(again.status, 404, 'a verification link works once');
  // The token never travels in an address, where logs and histories keep it.
  const byGet = await server.fetch(`${networkUrl(server)}/rest/network.email.confirm.json?TOKEN=${verify}`);
  assert.equal(((await byGet.json()) as { error: string }).error, 'ERROR_POST_REQUIRED');

  const token = await mailedToken(server, 'ann@example.com', 'portal-invitation');
  const accepted = await networkRest(server, 'network.link.accept', annToken, { TOKEN: token });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  const replay = await networkRest(server, 'network.link.accept', annToken, { TOKEN: token });
  assert.equal(replay.status, 404, 'an invitation is used once');

  const list = await portalList(annToken);
  assert.deepEqual(
    list.map(({ id: _id, ...rest }) => rest),
    [
      {
        name: 'Acme',
        address: server.portalUrl('acme.localhost'),
        userId: ids.acmeAnn,
        userName: 'Ann Acme',
        reachable: true,
      },
    ],
  );
  assert.deepEqual(await portalList(malloryToken), [], "another profile's list is unchanged");
});

test('a portal that does not answer is listed as unreachable', async () => {
  await inviteUserToNetwork(server.context, gone, ids.goneAnn as number);
  const token = await mailedToken(server, 'ann@example.com', 'portal-invitation');
  assert.equal((await networkRest(server, 'network.link.accept', annToken, { TOKEN: token })).status, 200);
  const list = await portalList(annToken);
  assert.deepEqual(
    list.map((p) => [p.name, p.reachable]),
    [
      ['Acme', true],
      ['Gone', false],
    ],
  );
});

test('unlinking a portal removes it from the list', async () => {
  const goneId = (await portalList(annToken)).find((p) => p.name === 'Gone')?.id ?? '';
  const res = await networkRest(server, 'network.portal.unlink', annToken, { PORTAL_ID: goneId });
  assert.equal(res.status, 200);
  assert.deepEqual(
    (await portalList(annToken)).map((p) => p.name),
    ['Acme'],
  );
  const again = await networkRest(server, 'network.portal.unlink', annToken, { PORTAL_ID: goneId });
  assert.equal(again.status, 404);
});

test('the back channel refuses a portal with a wrong secret', async () => {
  const trust = await server.context.portalNetworkTrust.find(globex.id);
  assert.ok(trust);
  const res = await server.context.networkBackChannel.call(
    { ...trust, clientSecret: 'wrong' },
    '/rest/network.link.invite.json',
    new URLSearchParams({ USER_ID: String(ids.globexAnn), USER_NAME: 'x', EMAIL: 'ann@example.com' }),
  );
  assert.equal(res.status, 401);
  assert.equal((res.json as { error: string }).error, 'NO_AUTH_FOUND');
});

test('a profile cannot call the portal back channel, nor a portal the profile methods', async () => {
  const asProfile = await networkRest(server, 'network.link.invite', annToken, {
    USER_ID: ids.acmeLookalike,
    USER_NAME: 'x',
    EMAIL: 'ann@example.com',
  });
  assert.equal(asProfile.status, 403);
  const trust = await server.context.portalNetworkTrust.find(acme.id);
  assert.ok(trust);
  const asPortal = await server.context.networkBackChannel.call(
    trust,
    '/rest/network.portal.list.json',
    new URLSearchParams(),
  );
  assert.equal(asPortal.status, 403);
});

test('the Network host is never a portal, and portal hosts have no Network routes', async () => {
  const onNetwork = await server.fetch(`${networkUrl(server)}/rest/server.time.json`);
  assert.equal(((await onNetwork.json()) as { error: string }).error, 'ERROR_METHOD_NOT_FOUND');
  const onPortal = await server.fetch(`${server.portalUrl('acme.localhost')}/.well-known/jwks.json`);
  assert.notEqual(onPortal.status, 200);
  assert.doesNotMatch(await onPortal.text(), /"keys"/);
});

test('no password or token reaches the logs', () => {
  assert.deepEqual(logsContainAny(server, secrets), []);
});

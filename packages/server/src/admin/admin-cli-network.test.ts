import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AdminCliFixture } from '../testing/admin-cli-fixture.ts';

// Registering portals with the Network through the real `portaldesk` bin, on either back end.
// `network trust` is in admin-cli-network-trust.test.ts.
let cli: AdminCliFixture;
before(async () => {
  cli = await AdminCliFixture.create();
  cli.env.PORT = '3456';
  await cli.withContext(async ({ portals }) => {
    await portals.create({ domain: 'acme.localhost', name: 'Acme' });
    await portals.create({ domain: 'globex.example.com', name: 'Globex' });
  });
});
after(() => cli.close());
const portaldesk = (args: string[], input?: string) => cli.run(args, input);

test('register-portal gives the portal client credentials at the Network on this database and makes it trust it', async () => {
  const done = await portaldesk(['network', 'register-portal', '--portal', 'acme.localhost', '--json']);
  assert.equal(done.code, 0, done.stderr);
  const answer = JSON.parse(done.stdout) as { clientId: string; issuer: string; url: string };
  assert.equal(answer.url, 'http://acme.localhost:3456');
  assert.equal(answer.issuer, 'http://network.localhost:3456');
  const { trust, client, authenticated } = await cli.withContext(async ({ portals, portalNetworkTrust, network }) => {
    const acme = await portals.findByDomain('acme.localhost');
    const trust = await portalNetworkTrust.find(acme?.id ?? 0);
    return {
      trust,
      client: await network.clients.find(answer.clientId),
      // The stored secret is the one the Network knows.
      authenticated: await network.clients.authenticate(answer.clientId, trust?.clientSecret ?? ''),
    };
  });
  assert.equal(trust?.clientId, answer.clientId);
  assert.equal(trust?.issuer, 'http://network.localhost:3456');
  assert.deepEqual(client?.redirectUris, ['http://acme.localhost:3456/network/callback']);
  assert.equal(authenticated?.clientId, answer.clientId);
  assert.doesNotMatch(done.stdout, new RegExp(trust?.clientSecret ?? 'never'), 'the secret is not printed');

  const again = await portaldesk(['network', 'register-portal', '--portal', 'acme.localhost']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already registered/);
});

test('add-portal registers a portal that runs elsewhere and shows its secret once; portals lists it', async () => {
  const done = await portaldesk([
    'network',
    'add-portal',
    '--name',
    'Initech',
    '--url',
    'https://initech.example.com/',
  ]);
  assert.equal(done.code, 0, done.stderr);
  const clientId = /Client id: (\S+)/.exec(done.stdout)?.[1] ?? '';
  const secret = /shown only now.*: (\S+)/.exec(done.stdout)?.[1] ?? '';
  assert.ok(clientId && secret, done.stdout);
  assert.match(done.stdout, /network trust --portal <host> --issuer http:\/\/network\.localhost:3456/);
  const client = await cli.withContext(({ network }) => network.clients.authenticate(clientId, secret));
  assert.equal(client?.portalUrl, 'https://initech.example.com');

  const list = await portaldesk(['network', 'portals']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /CLIENT ID\s+ADDRESS\s+NAME/);
  assert.match(list.stdout, new RegExp(`${clientId}\\s+https://initech\\.example\\.com\\s+Initech`));
  assert.match(list.stdout, /http:\/\/acme\.localhost:3456\s+Acme/);
  assert.doesNotMatch(list.stdout, new RegExp(secret));
});

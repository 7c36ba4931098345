import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AdminCliFixture } from '../testing/admin-cli-fixture.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

// A portal trusting a Network that runs apart, through the real `portaldesk` bin.
let cli: AdminCliFixture;
let network: TestServer;
before(async () => {
  cli = await AdminCliFixture.create();
  cli.env.PORT = '3456';
  await cli.withContext(async ({ portals }) => {
    await portals.create({ domain: 'globex.example.com', name: 'Globex' });
  });
  // A Network running elsewhere, for `network trust` to fetch the keys of.
  network = await startTestServer({ config: { roles: new Set(['network']) } });
});
after(async () => {
  await cli.close();
  await network.close();
});
const portaldesk = (args: string[], input?: string) => cli.run(args, input);

test('trust stores the credentials a remote Network gave, once its keys answer; the secret only from stdin', async () => {
  const issuer = network.portalUrl('network.localhost');
  const noStdin = await portaldesk([
    ...['network', 'trust', '--portal', 'globex.example.com', '--issuer', issuer, '--client-id', 'portal_x'],
  ]);
  assert.equal(noStdin.code, 2);
  assert.match(noStdin.stderr, /--client-secret-stdin/);

  const unreachable = await portaldesk(
    [
      ...['network', 'trust', '--portal', 'globex.example.com', '--issuer', 'http://nowhere.localhost:1'],
      ...['--client-id', 'portal_x', '--client-secret-stdin'],
    ],
    's3cret-value\n',
  );
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /No signing keys at http:\/\/nowhere\.localhost:1/);
  const done = await portaldesk(
    [
      ...['network', 'trust', '--portal', 'globex.example.com', '--issuer', `${issuer}/`],
      ...['--client-id', 'portal_abc', '--client-secret-stdin'],
    ],
    's3cret-value\n',
  );
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, /globex\.example\.com now trusts the Network/);
  assert.doesNotMatch(done.stdout + done.stderr, /s3cret-value/);
  const trust = await cli.withContext(async ({ portals, portalNetworkTrust }) =>
    portalNetworkTrust.find((await portals.findByDomain('globex.example.com'))?.id ?? 0),
  );
  assert.deepEqual(
    { issuer: trust?.issuer, clientId: trust?.clientId, secret: trust?.clientSecret },
    { issuer, clientId: 'portal_abc', secret: 's3cret-value' },
  );
});

test('wrong command lines are usage errors', async () => {
  // Refused before the database is opened, so they can run side by side.
  const wrong = [
    ['network', 'register-portal'],
    ['network', 'register-portal', '--portal', 'acme.localhost', '--url', 'ftp://acme.localhost'],
    ['network', 'add-portal', '--name', 'X'],
    ['network', 'trust', '--portal', 'acme.localhost', '--issuer', 'not a url', '--client-id', 'x'],
  ];
  const results = await Promise.all(wrong.map((args) => portaldesk(args)));
  results.forEach((result, i) => {
    assert.equal(result.code, 2, `${wrong[i]?.join(' ')}: ${result.stderr}`);
  });
});

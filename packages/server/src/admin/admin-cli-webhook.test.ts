import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AdminCliFixture } from '../testing/admin-cli-fixture.ts';

// Incoming webhooks through the real `portaldesk` bin, on either back end. The portal and Ann
// are made in-process first: creating them is admin-cli.test.ts's.
let cli: AdminCliFixture;
before(async () => {
  cli = await AdminCliFixture.create();
  await cli.withContext(async ({ portals, users }) => {
    const acme = await portals.create({ domain: 'acme.example.com', name: 'Acme Inc', defaultCountry: 'DE' });
    await users.create(acme.id, { firstName: 'Ann', lastName: 'Lee', email: 'ann.lee@example.com', username: 'ann' });
  });
});
after(() => cli.close());
const portaldesk = (args: string[], input?: string) => cli.run(args, input);
const withContext: AdminCliFixture['withContext'] = (work) => cli.withContext(work);

test('creates an incoming webhook acting as a user, and shows its secret address once', async () => {
  const created = await portaldesk([
    ...['webhook', 'create', '--portal', 'acme.example.com', '--user', 'ann', '--scope', 'user, IM'],
    ...['--title', 'Reports'],
  ]);
  assert.equal(created.code, 0, created.stderr);
  assert.match(
    created.stdout,
    /Created incoming webhook \d+ acting as user \d+ in acme\.example\.com, scopes: user, im/,
  );
  const found = /https:\/\/acme\.example\.com\/rest\/(\d+)\/([A-Za-z0-9]+)\//.exec(created.stdout);
  assert.ok(found, created.stdout);
  const webhook = await withContext(async ({ portals, webhooks }) => {
    const portal = await portals.findByDomain('acme.example.com');
    return webhooks.findBySecret(portal?.id ?? 0, found[2] ?? '');
  });
  assert.equal(webhook?.userId, Number(found[1]));
  assert.deepEqual(webhook?.scopes, ['user', 'im']);
  assert.equal(webhook?.title, 'Reports');
});

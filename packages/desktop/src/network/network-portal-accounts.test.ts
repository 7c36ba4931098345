import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  DEMO_NETWORK_PROFILE,
  DEMO_PASSWORD,
  networkUrl,
  signInAt,
  startTestServer,
  type TestServer,
} from '@portaldesk/server/testing';
import { AccountSignIn } from '../accounts/account-sign-in.ts';
import { SettingsHolder } from '../config/settings-holder.ts';
import { SettingsStore } from '../config/settings-store.ts';
import { createDesktopFetch } from '../portal/desktop-http-client.ts';
import { EncryptedFileVault } from '../vault/encrypted-file-vault.ts';
import { DesktopNetworkSignIn } from './desktop-network-sign-in.ts';
import { startLoopbackSignIn } from './network-loopback-sign-in.ts';
import { NetworkPortalAccounts } from './network-portal-accounts.ts';

// The demo's Carol: one Network profile linked to her accounts in Acme and Globex.
const fetch = createDesktopFetch();
const root = mkdtempSync(join(tmpdir(), 'portaldesk-network-accounts-'));
const identity = { osMark: 'machine-1', osAccount: 'carol' };
let server: TestServer;
let accessToken: string;

before(async () => {
  server = await startTestServer({ config: { demo: true } });
  const signIn = await startLoopbackSignIn(networkUrl(server), fetch);
  const { location } = await signInAt(server, signIn.authorizeUrl, {
    login: DEMO_NETWORK_PROFILE.email,
    password: DEMO_PASSWORD,
  });
  assert.ok(location);
  await fetch(location.toString());
  accessToken = (await signIn.tokens).access_token;
});
after(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

async function desktop(dir = root) {
  const store = new SettingsStore({ path: join(dir, 'config', 'settings.json') });
  const settings = new SettingsHolder((await store.load()).settings, store);
  const vault = new EncryptedFileVault({
    vaultPath: join(dir, 'data', 'vault'),
    keyPath: join(dir, 'config', 'key'),
  });
  return { settings, accounts: new AccountSignIn({ fetch, identity, vault, settings, online: () => true }) };
}

test('one Network sign-in adds an ordinary account on every chosen portal; they reconnect on their own', async () => {
  const network = new NetworkPortalAccounts({ issuer: networkUrl(server), fetch, identity });
  const portals = await network.list(accessToken);
  assert.deepEqual(
    portals.map((p) => [p.name, p.userName]),
    [
      ['Acme Corporation', 'Carol Davis'],
      ['Globex', 'Carol Davis'],
    ],
  );
  const first = await desktop();
  for (const portal of portals) {
    const { portal: at, result } = await network.signIn(accessToken, portal.id);
    assert.equal(result.login, 'carol@example.com');
    await first.accounts.addSignedInAccount(at, result);
  }
  const added = first.settings.get().accounts;
  assert.deepEqual(
    added.map((a) => [a.portal.origin, a.user.displayName, a.user.login]),
    portals.map((p) => [p.address, 'Carol Davis', 'carol@example.com']),
  );

  // Signed out of the Network: its token is refused, and the accounts do not need it.
  await network.signOut(accessToken);
  await assert.rejects(network.list(accessToken), { code: 'NETWORK_SIGN_IN_DENIED' });
  const restarted = await desktop();
  for (const account of restarted.settings.get().accounts) {
    const session = await restarted.accounts.resume(account.id);
    assert.equal(session.userId, account.user.id, account.portal.origin);
  }
});

test('adding a portal already added keeps one account for it', async () => {
  const { settings, accounts } = await desktop();
  const before = settings.get().accounts.map((a) => a.id);
  const token = await (async () => {
    const signIn = await startLoopbackSignIn(networkUrl(server), fetch);
    const { location } = await signInAt(server, signIn.authorizeUrl, {
      login: DEMO_NETWORK_PROFILE.email,
      password: DEMO_PASSWORD,
    });
    await fetch(String(location));
    return (await signIn.tokens).access_token;
  })();
  const network = new NetworkPortalAccounts({ issuer: networkUrl(server), fetch, identity });
  const [acme] = await network.list(token);
  const { portal, result } = await network.signIn(token, acme?.id ?? '');
  await accounts.addSignedInAccount(portal, result);
  assert.deepEqual(
    settings.get().accounts.map((a) => a.id),
    before,
  );
});

test("the login window's flow: one sign-in page, the list marks added portals, sign-out keeps the accounts", async () => {
  const { settings, accounts } = await desktop(join(root, 'window-flow'));
  const pagesOpened: string[] = [];
  const flow = new DesktopNetworkSignIn({
    issuer: networkUrl(server),
    fetch,
    identity,
    // What the person does on the Network's page in the app window.
    openSignInPage: async (url) => {
      pagesOpened.push(url);
      const { location } = await signInAt(server, url, { login: DEMO_NETWORK_PROFILE.email, password: DEMO_PASSWORD });
      await fetch(String(location));
      return { close: async () => {} };
    },
    accounts: () => settings.get().accounts.map((a) => ({ origin: a.portal.origin, userId: a.user.id })),
    addAccount: async ({ portal, result }) => (await accounts.addSignedInAccount(portal, result)).account.id,
  });
  const listed = await flow.portals();
  assert.deepEqual(
    listed.map((p) => [p.name, p.added]),
    [
      ['Acme Corporation', false],
      ['Globex', false],
    ],
  );
  const ids = await flow.addAccounts(listed.map((p) => p.id));
  assert.equal(new Set(ids).size, 2);
  assert.deepEqual(
    (await flow.portals()).map((p) => p.added),
    [true, true],
  );
  assert.equal(pagesOpened.length, 1, 'listed again without a new sign-in while the Network session lasts');

  await flow.signOut();
  await assert.rejects(flow.addAccounts([listed[0]?.id ?? '']), { code: 'NETWORK_SIGN_IN_DENIED' });
  for (const account of settings.get().accounts) assert.ok(await accounts.resume(account.id));
  await flow.portals();
  assert.equal(pagesOpened.length, 2, 'after signing out of the Network, its page is shown again');
  assert.equal(settings.get().accounts.length, 2);
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type SecretServiceSession, startSecretService } from '../testing/secret-service-session.ts';
import { KeyringVault } from './keyring-vault.ts';
import { openVault } from './open-vault.ts';

// The real Secret Service (gnome-keyring) on a private D-Bus session; this file runs in its own
// process, so pointing this process at that bus affects nothing else.
let session: SecretServiceSession;
const dir = mkdtempSync(join(tmpdir(), 'portaldesk-keyring-vault-'));
const service = `portaldesk-test-${process.pid}`;

before(async () => {
  session = await startSecretService();
  process.env.DBUS_SESSION_BUS_ADDRESS = session.busAddress;
});
after(async () => {
  await session?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function lookUpWithSecretTool(account: string): string {
  const result = spawnSync('secret-tool', ['lookup', 'service', service, 'username', account], {
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: session.busAddress },
    encoding: 'utf8',
  });
  if (result.error) throw result.error; // secret-tool comes with libsecret-tools (README, Install)
  return result.stdout;
}

test('with a Secret Service running, secrets go to the OS keyring and there is no warning', async () => {
  const vault = await openVault({ service, vaultPath: join(dir, 'vault'), keyPath: join(dir, 'key', 'vault.key') });
  assert.equal(vault.kind, 'os-keyring');
  assert.equal(vault.warning, undefined);
  await vault.set('acme-1', 'app-password', 'app-pass-1');
  assert.equal(await vault.get('acme-1', 'app-password'), 'app-pass-1');
  assert.equal(lookUpWithSecretTool('acme-1:app-password'), 'app-pass-1', 'other keyring tools see the entry');
});

test('removing an account removes its secrets from the keyring and only its own', async () => {
  const vault = new KeyringVault(service);
  await vault.set('acme-1', 'app-password', 'one');
  await vault.set('acme-2', 'app-password', 'two');
  await vault.removeAccount('acme-1');
  assert.equal(await vault.get('acme-1', 'app-password'), null);
  assert.equal(lookUpWithSecretTool('acme-1:app-password'), '');
  assert.equal(await vault.get('acme-2', 'app-password'), 'two');
});

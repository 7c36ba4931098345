import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EncryptedFileVault } from './encrypted-file-vault.ts';
import { openVault } from './open-vault.ts';

const root = mkdtempSync(join(tmpdir(), 'portaldesk-file-vault-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function paths() {
  n += 1;
  return { vaultPath: join(root, `data-${n}`, 'credentials.vault'), keyPath: join(root, `config-${n}`, 'vault.key') };
}

test('where no keyring service answers, the encrypted file is used and says so', async () => {
  // This file runs in its own process: point it at a bus that does not exist.
  process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(root, 'no-bus')}`;
  const vault = await openVault(paths());
  assert.equal(vault.kind, 'encrypted-file');
  assert.equal(vault.warning?.code, 'VAULT_NOT_IN_OS_KEYRING');
  assert.match(vault.warning.message, /encrypted file/);
});

test('secrets round-trip, and neither file holds them in plain text', async () => {
  const where = paths();
  const vault = new EncryptedFileVault(where);
  await vault.set('acme-1', 'app-password', 'correct-horse-battery');
  assert.equal(await new EncryptedFileVault(where).get('acme-1', 'app-password'), 'correct-horse-battery');
  assert.equal(await vault.get('acme-2', 'app-password'), null);
  for (const file of [where.vaultPath, where.keyPath]) {
    assert.doesNotMatch(readFileSync(file).toString('latin1'), /correct-horse|acme-1/);
    assert.equal(statSync(file).mode & 0o777, 0o600, `${file} is for the user only`);
  }
});

test('removing an account removes its secrets and keeps the others', async () => {
  const vault = new EncryptedFileVault(paths());
  await vault.set('acme-1', 'app-password', 'one');
  await vault.set('acme-2', 'app-password', 'two');
  await vault.removeAccount('acme-1');
  assert.equal(await vault.get('acme-1', 'app-password'), null);
  assert.equal(await vault.get('acme-2', 'app-password'), 'two');
});

test('changes made at the same time are all kept', async () => {
  const vault = new EncryptedFileVault(paths());
  await Promise.all(Array.from({ length: 10 }, (_, i) => vault.set(`acct-${i}`, 'app-password', `secret-${i}`)));
  for (let i = 0; i < 10; i++) assert.equal(await vault.get(`acct-${i}`, 'app-password'), `secret-${i}`);
});

test('a tampered file, or the file with another key, is refused rather than misread', async () => {
  const where = paths();
  const vault = new EncryptedFileVault(where);
  await vault.set('acme-1', 'app-password', 'one');
  const sealed = JSON.parse(readFileSync(where.vaultPath, 'utf8'));
  const data = Buffer.from(sealed.data, 'base64');
  data[0] = (data[0] ?? 0) ^ 1;
  writeFileSync(where.vaultPath, JSON.stringify({ ...sealed, data: data.toString('base64') }));
  await assert.rejects(vault.get('acme-1', 'app-password'), { code: 'VAULT_UNREADABLE' });

  const other = paths();
  await new EncryptedFileVault(other).set('acme-1', 'app-password', 'one');
  writeFileSync(other.keyPath, Buffer.alloc(32, 7));
  await assert.rejects(new EncryptedFileVault(other).get('acme-1', 'app-password'), { code: 'VAULT_UNREADABLE' });
});

test('a file whose authentication tag was cut short is refused, not accepted on the bytes left', async () => {
  const where = paths();
  const vault = new EncryptedFileVault(where);
  await vault.set('acme-1', 'app-password', 'one');
  const sealed = JSON.parse(readFileSync(where.vaultPath, 'utf8'));
  // GCM without a fixed tag length checks only as many tag bytes as it is given: a 4-byte prefix
  // of the right tag leaves 32 bits for a forger to guess instead of 128.
  for (const length of [4, 8, 12, 15]) {
    const tag = Buffer.from(sealed.tag, 'base64').subarray(0, length);
    writeFileSync(where.vaultPath, JSON.stringify({ ...sealed, tag: tag.toString('base64') }));
    await assert.rejects(vault.get('acme-1', 'app-password'), { code: 'VAULT_UNREADABLE' }, `${length}-byte tag`);
  }
});

test('account ids that could collide in entry names are refused', async () => {
  const vault = new EncryptedFileVault(paths());
  await assert.rejects(vault.set('a:b', 'app-password', 'x'), { code: 'VAULT_BAD_ACCOUNT_ID' });
});

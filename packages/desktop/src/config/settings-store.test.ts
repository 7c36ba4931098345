import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { defaultSettings, type Settings } from './settings.ts';
import { migrateSettings, type SettingsMigration } from './settings-migrations.ts';
import { SettingsStore } from './settings-store.ts';

const root = mkdtempSync(join(tmpdir(), 'portaldesk-settings-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function freshDir(): string {
  n += 1;
  return mkdirSync(join(root, `case-${n}`), { recursive: true })!;
}

const twoAccounts: Settings = {
  ...defaultSettings(),
  accounts: [
    {
      id: 'acme-1',
      portal: { origin: 'https://acme.example.com', title: 'Acme' },
      user: { id: 7, displayName: 'Ann Lee', login: 'ann@acme.example.com' },
      muted: false,
      notifications: { sound: true, preview: true },
    },
    {
      id: 'acme-2',
      portal: { origin: 'https://acme.example.com', title: 'Acme' },
      user: { id: 9, displayName: 'Bob Ray', login: 'bob@acme.example.com' },
      muted: true,
      notifications: { sound: false, preview: false },
    },
  ],
  activeAccountId: 'acme-2',
  doNotDisturb: true,
};

test('a first start gets defaults and writes nothing until asked', async () => {
  const dir = freshDir();
  const store = new SettingsStore({ path: join(dir, 'settings.json') });
  const loaded = await store.load();
  assert.deepEqual(loaded.settings, defaultSettings());
  assert.equal(loaded.warning, undefined);
  assert.equal(loaded.settings.closeToTray, true);
});

test('saved settings come back as they were, in a file only the user can read', async () => {
  const path = join(freshDir(), 'settings.json');
  const store = new SettingsStore({ path });
  await store.save(twoAccounts);
  assert.deepEqual((await new SettingsStore({ path }).load()).settings, twoAccounts);
  if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('writes leave no temporary files behind, even many at once', async () => {
  const dir = freshDir();
  const store = new SettingsStore({ path: join(dir, 'settings.json') });
  await Promise.all(Array.from({ length: 20 }, (_, i) => store.save({ ...twoAccounts, doNotDisturb: i % 2 === 0 })));
  assert.deepEqual(readdirSync(dir), ['settings.json']);
  JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
});

test('invalid settings are refused on save', async () => {
  const store = new SettingsStore({ path: join(freshDir(), 'settings.json') });
  await assert.rejects(store.save({ ...twoAccounts, activeAccountId: 'nobody' }));
  await assert.rejects(store.save({ ...twoAccounts, accounts: [twoAccounts.accounts[0]!, twoAccounts.accounts[0]!] }));
});

for (const [name, content] of [
  ['truncated JSON', '{"version": 1, "accounts": ['],
  ['not an object', '[1, 2, 3]'],
  ['a wrong field', JSON.stringify({ version: 1, doNotDisturb: 'sometimes' })],
  ['an active account that does not exist', JSON.stringify({ version: 1, activeAccountId: 'ghost' })],
] as const) {
  test(`a file with ${name} is kept aside and replaced by defaults, with a warning`, async () => {
    const dir = freshDir();
    const path = join(dir, 'settings.json');
    const store = new SettingsStore({ path, now: () => new Date('2026-11-24T10:00:00Z') });
    await store.save(twoAccounts);
    writeFileSync(path, content);
    const loaded = await store.load();
    assert.deepEqual(loaded.settings, defaultSettings());
    assert.equal(loaded.warning?.code, 'SETTINGS_CORRUPT');
    assert.equal(readFileSync(loaded.warning.keptAt, 'utf8'), content);
    assert.deepEqual((await store.load()).settings, defaultSettings(), 'the reset file is valid');
    assert.equal((await store.load()).warning, undefined);
  });
}

test('a file from a newer version is kept aside rather than misread', async () => {
  const path = join(freshDir(), 'settings.json');
  writeFileSync(path, JSON.stringify({ version: 99, accounts: [] }));
  const loaded = await new SettingsStore({ path }).load();
  assert.equal(loaded.warning?.code, 'SETTINGS_FROM_NEWER_VERSION');
  assert.match(readFileSync(loaded.warning.keptAt, 'utf8'), /"version":99/);
});

test('a version 1 file keeps its accounts, each with notification sound and preview on', async () => {
  const path = join(freshDir(), 'settings.json');
  const { notifications: _dropped, ...oldAccount } = twoAccounts.accounts[1]!;
  writeFileSync(path, JSON.stringify({ version: 1, accounts: [oldAccount], activeAccountId: 'acme-2' }));
  const loaded = await new SettingsStore({ path }).load();
  assert.equal(loaded.warning, undefined);
  assert.deepEqual(loaded.settings.accounts, [{ ...oldAccount, notifications: { sound: true, preview: true } }]);
  assert.equal(loaded.settings.version, 2);
});

// The runner is exercised with a made-up history of three versions.
const history: SettingsMigration[] = [
  { from: 1, migrate: (old) => ({ ...old, dnd: old.quiet ?? false, quiet: undefined }) },
  { from: 2, migrate: (old) => ({ ...old, doNotDisturb: old.dnd, dnd: undefined }) },
];

test('migrations run step by step from the file version to the current one', () => {
  assert.deepEqual(migrateSettings({ version: 1, quiet: true }, 3, history), {
    version: 3,
    doNotDisturb: true,
    dnd: undefined,
    quiet: undefined,
  });
  assert.deepEqual(migrateSettings({ version: 2, dnd: false }, 3, history), {
    version: 3,
    doNotDisturb: false,
    dnd: undefined,
  });
});

test('a missing step is an error, not a silent skip', () => {
  assert.throws(() => migrateSettings({ version: 1 }, 3, [history[1]!]), { code: 'SETTINGS_MIGRATION_FAILED' });
});

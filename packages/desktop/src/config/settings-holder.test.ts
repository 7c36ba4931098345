import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { defaultSettings, type Settings } from './settings.ts';
import { SettingsHolder } from './settings-holder.ts';
import { SettingsStore } from './settings-store.ts';

const root = mkdtempSync(join(tmpdir(), 'portaldesk-settings-holder-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('subscribers hear of each saved change, after it is on disk and before update resolves', async () => {
  const path = join(root, 'heard.json');
  const holder = new SettingsHolder(defaultSettings(), new SettingsStore({ path }));
  const heard: { now: boolean; before: boolean; onDisk: boolean }[] = [];
  const unsubscribe = holder.subscribe((settings, previous) =>
    heard.push({
      now: settings.doNotDisturb,
      before: previous.doNotDisturb,
      onDisk: (JSON.parse(readFileSync(path, 'utf8')) as Settings).doNotDisturb,
    }),
  );
  await holder.update((s) => ({ ...s, doNotDisturb: true }));
  assert.deepEqual(heard, [{ now: true, before: false, onDisk: true }]);
  unsubscribe();
  await holder.update((s) => ({ ...s, doNotDisturb: false }));
  assert.equal(heard.length, 1, 'no longer told once unsubscribed');
});

test('a change that fails is not announced; a listener that throws neither undoes it nor silences the others', async () => {
  const problems: string[] = [];
  const holder = new SettingsHolder(
    defaultSettings(),
    new SettingsStore({ path: join(root, 'failing.json') }),
    (message) => problems.push(message),
  );
  const heard: boolean[] = [];
  holder.subscribe(() => {
    throw new Error('tray gone');
  });
  holder.subscribe((settings) => heard.push(settings.closeToTray));
  await assert.rejects(
    holder.update(() => {
      throw new Error('bad change');
    }),
  );
  assert.deepEqual(heard, []);
  const saved = await holder.update((s) => ({ ...s, closeToTray: false }));
  assert.equal(saved.closeToTray, false);
  assert.equal(holder.get().closeToTray, false);
  assert.deepEqual(heard, [false]);
  assert.deepEqual(problems, ['settings listener failed']);
});

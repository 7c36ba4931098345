import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FeatureModule } from '../modules/feature-module.ts';
import { ModuleLifecycle } from './module-lifecycle.ts';

function recordingModule(name: string, log: string[], options: { failsToStart?: boolean } = {}): FeatureModule {
  return {
    name,
    services: {},
    async start() {
      if (options.failsToStart) throw new Error(`${name} cannot start`);
      log.push(`start ${name}`);
    },
    async stop() {
      log.push(`stop ${name}`);
    },
  };
}

test('modules start in order and stop in reverse, each once', async () => {
  const log: string[] = [];
  const lifecycle = new ModuleLifecycle([
    recordingModule('redis', log),
    { name: 'portals', services: {} },
    recordingModule('realtime', log),
    recordingModule('files', log),
  ]);
  await lifecycle.start();
  await lifecycle.stop();
  await lifecycle.stop();
  assert.deepEqual(log, ['start redis', 'start realtime', 'start files', 'stop files', 'stop realtime', 'stop redis']);
});

test('a module that fails to start leaves the ones before it to be stopped, and none after it started', async () => {
  const log: string[] = [];
  const lifecycle = new ModuleLifecycle([
    recordingModule('redis', log),
    recordingModule('realtime', log, { failsToStart: true }),
    recordingModule('files', log),
  ]);
  await assert.rejects(lifecycle.start(), /realtime cannot start/);
  await lifecycle.stop();
  assert.deepEqual(log, ['start redis', 'stop redis']);
});

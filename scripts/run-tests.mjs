#!/usr/bin/env node
// Runs every *.test.ts under packages/ and e2e/ with Node's own test runner (TypeScript via tsx).
// Arguments narrow the run to files whose path contains one of them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'e2e'];
const filters = process.argv.slice(2);

function findTests(dir) {
  let found = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found = found.concat(findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const files = roots
  .flatMap(findTests)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('No test files found');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
// A file's process ends once its tests have finished: the official SDK's realtime client, used as
// a test peer, can keep reconnect timers alive after destroy() when the server goes away first,
// which otherwise held a finished file open until the hang guard cancelled it.
const forceExit = '--test-force-exit';
// TAP on the console; a readable spec report (failures listed at its end) in test-output/.
mkdirSync('test-output', { recursive: true });
const reporters = [
  '--test-reporter=tap',
  '--test-reporter-destination=stdout',
  '--test-reporter=spec',
  '--test-reporter-destination=test-output/test-report.txt',
];
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    forceExit,
    ...reporters,
    `--test-concurrency=${concurrency}`,
    '--test-timeout=300000',
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);

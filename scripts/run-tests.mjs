#!/usr/bin/env node
// Runs every *.test.ts under packages/, e2e/ and scripts/ with Node's own test runner (TypeScript via tsx).
// Arguments narrow the run to files whose path contains one of them. Without DATABASE_URL, the
// tests' databases live in one managed PostgreSQL cluster that this script starts for the run
// (packages/server/src/testing/test-cluster-main.ts) and stops at its end.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const roots = ['packages', 'e2e', 'scripts'];
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
const cluster = process.env.DATABASE_URL ? null : await startTestCluster();
const status = await new Promise((resolve) => {
  const run = spawn(
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
    { stdio: 'inherit', env: cluster ? { ...process.env, PORTALDESK_TEST_CLUSTER: cluster.connection } : process.env },
  );
  run.on('exit', (code) => resolve(code ?? 1));
});
await cluster?.stop();
process.exit(status);

/** Starts the run's cluster; resolves with its connection (JSON) once its template is migrated. */
function startTestCluster() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/testing/test-cluster-main.ts'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (connection) =>
      resolve({
        connection,
        stop: () => {
          child.stdin.end();
          return exited;
        },
      }),
    );
    exited.then((code) => reject(new Error(`The test cluster did not start (exit ${code})`)));
  });
}

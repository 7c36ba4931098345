/**
 * How long the server takes to start, as `npm run server` runs it with the demo data: the first
 * start of an empty data directory (the cluster is created, migrated and seeded) and later starts
 * of the same directory. Timed from spawning the process to its first HTTP answer, and to the
 * demo banner (printed once the Network's demo registration is done); then to a stopped process.
 *
 *   npm run bench:start-up -- [--later 5] [--cpu-prof <dir>] [--built]
 *
 * `--built` times the bundle of `npm run build` (`node dist/server/main.mjs`, no compiling at start).
 *
 * `--cpu-prof` writes a V8 profile of each later start into <dir> (open it in Chrome DevTools):
 * what the server loads and runs before it listens.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freeLoopbackPort } from '@portaldesk/server/testing';

const { values } = parseArgs({
  options: { later: { type: 'string', default: '5' }, 'cpu-prof': { type: 'string' }, built: { type: 'boolean' } },
});
/** The sources through tsx (`npm run server`), or with `--built` the bundle `npm run build` makes. */
const MAIN = fileURLToPath(
  new URL(values.built ? '../dist/server/main.mjs' : '../packages/server/src/main.ts', import.meta.url),
);
const LOADER = values.built ? [] : ['--import', 'tsx'];

interface StartTimes {
  answersMs: number;
  bannerMs: number;
  stopMs: number;
}

async function timeOneStart(dataDir: string, profileDir?: string): Promise<StartTimes> {
  const port = await freeLoopbackPort();
  const started = performance.now();
  const { DATABASE_URL: _external, ...env } = process.env;
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profiling, ...LOADER, MAIN], {
    env: { ...env, PORT: String(port), PORTALDESK_DATA: dataDir, PORTALDESK_DEMO: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const banner = new Promise<number>((resolve) => {
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      if (output.includes('frieda@example.com')) resolve(performance.now() - started);
    });
  });
  const answersMs = await firstAnswer(child, port, started);
  const bannerMs = await banner;
  const stopping = performance.now();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  return { answersMs, bannerMs, stopMs: performance.now() - stopping };
}

async function firstAnswer(child: ChildProcess, port: number, started: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      return performance.now() - started;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

const ms = (value: number) => `${Math.round(value)} ms`.padStart(8);
const line = (label: string, t: StartTimes) =>
  console.log(`${label.padEnd(34)} answers ${ms(t.answersMs)}   banner ${ms(t.bannerMs)}   stop ${ms(t.stopMs)}`);

const dataDir = mkdtempSync(join(tmpdir(), 'portaldesk-start-up-'));
try {
  console.log(
    `server start-up, ${values.built ? 'node dist/server/main.mjs (built)' : '`npm run server`'} with the demo data, managed PostgreSQL cluster`,
  );
  line('first start (empty data directory)', await timeOneStart(dataDir));
  const later: StartTimes[] = [];
  for (let i = 0; i < Number(values.later); i++) later.push(await timeOneStart(dataDir, values['cpu-prof']));
  for (const [i, t] of later.entries()) line(`later start ${i + 1}`, t);
  const median = (pick: (t: StartTimes) => number) => later.map(pick).sort((a, b) => a - b)[later.length >> 1] ?? 0;
  line('later start, median', {
    answersMs: median((t) => t.answersMs),
    bannerMs: median((t) => t.bannerMs),
    stopMs: median((t) => t.stopMs),
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

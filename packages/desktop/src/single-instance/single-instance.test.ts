import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findDeepLink } from './single-instance.ts';

const fixture = fileURLToPath(new URL('./single-instance.fixture.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'portaldesk-instance-'));
const started: ChildProcess[] = [];
after(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

interface Launch {
  child: ChildProcess;
  lines: Interface;
  nextLine(): Promise<string>;
}

function launch(socketPath: string, ...args: string[]): Launch {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, socketPath, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(child);
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else queue.push(line);
  });
  return {
    child,
    lines,
    nextLine: () => {
      const line = queue.shift();
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('a second launch hands its link to the first and exits', async () => {
  const socket = join(root, 'a', 'instance.sock');
  const first = launch(socket);
  assert.equal(await first.nextLine(), 'role primary');
  const second = launch(socket, '--hidden', 'portaldesk://open?account=acme-1&dialog=chat5');
  assert.equal(await second.nextLine(), 'role secondary');
  assert.equal(await exitCode(second.child), 0);
  assert.equal(await first.nextLine(), 'second-launch ["--hidden","portaldesk://open?account=acme-1&dialog=chat5"]');
  first.child.kill('SIGTERM');
  assert.equal(await exitCode(first.child), 0);
  assert.equal(existsSync(socket), false, 'a clean exit leaves no socket behind');
  const next = launch(socket);
  assert.equal(await next.nextLine(), 'role primary', 'after it quits, the next launch runs');
  next.child.kill('SIGTERM');
  await exitCode(next.child);
});

test('the socket of a crashed instance is taken over', async () => {
  const socket = join(root, 'b', 'instance.sock');
  const crashed = launch(socket);
  assert.equal(await crashed.nextLine(), 'role primary');
  crashed.child.kill('SIGKILL');
  await exitCode(crashed.child);
  assert.equal(existsSync(socket), true, 'the crash left its socket');
  const next = launch(socket);
  assert.equal(await next.nextLine(), 'role primary');
  next.child.kill('SIGTERM');
  await exitCode(next.child);
});

test('of three launches at the same moment, exactly one runs', async () => {
  const socket = join(root, 'c', 'instance.sock');
  const launches = [launch(socket, 'one'), launch(socket, 'two'), launch(socket, 'three')];
  const roles = await Promise.all(launches.map((l) => l.nextLine()));
  assert.deepEqual(roles.toSorted(), ['role primary', 'role secondary', 'role secondary']);
  const primary = launches[roles.indexOf('role primary')]!;
  const handed = [await primary.nextLine(), await primary.nextLine()];
  assert.equal(
    handed.every((line) => line.startsWith('second-launch')),
    true,
  );
  primary.child.kill('SIGTERM');
  await exitCode(primary.child);
});

test('finds the portaldesk:// link among the arguments', () => {
  assert.equal(findDeepLink(['--x', 'PortalDesk://open?a=1']), 'PortalDesk://open?a=1');
  assert.equal(findDeepLink(['https://acme.example.com']), undefined);
});

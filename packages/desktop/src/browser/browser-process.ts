import { readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isProcessAlive } from '../os-integration/process-liveness.ts';

const EXIT_POLL_MS = 50;

/**
 * The pid of the browser that holds the profile `userDataDir`. Chromium's profile lock is a
 * symlink named `SingletonLock` pointing at "<host name>-<pid>"; Playwright offers no other way to
 * reach the process of a persistent context.
 */
export async function profileLockHolder(userDataDir: string): Promise<number | undefined> {
  const target = await readlink(join(userDataDir, 'SingletonLock')).catch(() => undefined);
  const pid = Number(target?.slice(target.lastIndexOf('-') + 1));
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Waits until process `pid` has ended, for at most `limitMs`; true if it did. Chromium drops its
 * connection to the app before it has finished writing the profile and releasing its lock, so
 * "the connection closed" is not yet "the browser ended".
 */
export async function processEnded(pid: number, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await delay(EXIT_POLL_MS, undefined, { ref: false });
  }
  return true;
}

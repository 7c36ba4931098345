import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface SecretServiceSession {
  /** Put this in the environment of whatever should use the keyring. */
  busAddress: string;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  const done = exited(child);
  child.kill('SIGTERM');
  await done;
}

/**
 * A private D-Bus session with gnome-keyring's Secret Service in it, unlocked, in a throw-away
 * home directory: the real keyring the app uses on a Linux desktop, without touching the
 * machine's own. Both processes are stopped by `stop()`.
 */
export async function startSecretService(): Promise<SecretServiceSession> {
  const home = mkdtempSync(join(tmpdir(), 'portaldesk-keyring-'));
  mkdirSync(join(home, '.local', 'share', 'keyrings'), { recursive: true });
  const bus = spawn(
    'dbus-daemon',
    ['--session', '--nofork', '--print-address=1', `--address=unix:path=${join(home, 'bus')}`],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const busAddress = await new Promise<string>((resolve, reject) => {
    bus.once('error', reject);
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
    createInterface({ input: bus.stdout! }).once('line', (line) => resolve(line.trim()));
  });
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, '.local', 'share'),
    DBUS_SESSION_BUS_ADDRESS: busAddress,
  };
  const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    env,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  keyring.stdin!.end('test-login-password');
  // Ready once the daemon owns the Secret Service name on the bus.
  const deadline = Date.now() + 10_000;
  while (!(await ownsSecretsName(env))) {
    if (Date.now() > deadline || keyring.exitCode !== null) {
      await stopChild(keyring);
      await stopChild(bus);
      throw new Error('gnome-keyring-daemon did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    busAddress,
    async stop() {
      await stopChild(keyring);
      await stopChild(bus);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function ownsSecretsName(env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    const check = spawn(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        'string:org.freedesktop.secrets',
      ],
      { env, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    check.stdout.on('data', (chunk) => {
      out += chunk;
    });
    check.on('exit', () => resolve(out.includes('boolean true')));
    check.on('error', () => resolve(false));
  });
}

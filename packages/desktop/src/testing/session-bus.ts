import { type ChildProcess, spawn } from 'node:child_process';

export interface PrivateSessionBus {
  /** `unix:path=…` — what DBUS_SESSION_BUS_ADDRESS would hold. */
  address: string;
  stop(): Promise<void>;
}

/** A private D-Bus session bus (`dbus-daemon --session`) for one test file; `stop()` ends it. */
export async function startSessionBus(): Promise<PrivateSessionBus> {
  const daemon: ChildProcess = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    daemon.once('error', reject);
    daemon.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
    daemon.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
  });
  return {
    address,
    stop: async () => {
      if (daemon.exitCode !== null || daemon.signalCode !== null) return;
      const exited = new Promise((resolve) => daemon.once('exit', resolve));
      daemon.kill('SIGTERM');
      await exited;
    },
  };
}

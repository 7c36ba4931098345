import { type ChildProcess, spawn } from 'node:child_process';

export interface VirtualDisplay {
  /** `:93` — put it in DISPLAY for the browser. */
  display: string;
  stop(): Promise<void>;
}

/**
 * A private X server for tests that open real windows. Xvfb picks a free display itself
 * (`-displayfd`), so parallel test files never collide; `stop()` ends it.
 */
export async function startXvfb(size = '1280x800x24'): Promise<VirtualDisplay> {
  const xvfb: ChildProcess = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', size, '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
  });
  return {
    display,
    stop: async () => {
      if (xvfb.exitCode !== null || xvfb.signalCode !== null) return;
      const exited = new Promise((resolve) => xvfb.once('exit', resolve));
      xvfb.kill('SIGTERM');
      await exited;
    },
  };
}

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { z } from 'zod';
import { isProcessAlive } from '../os-integration/process-liveness.ts';

/** What a second launch hands to the running instance. */
export const secondLaunchSchema = z.object({
  type: z.literal('second-launch'),
  argv: z.array(z.string().max(8192)).max(64),
  cwd: z.string().max(4096),
});
export type SecondLaunch = z.infer<typeof secondLaunchSchema>;

export type SingleInstance = { role: 'primary'; release(): Promise<void> } | { role: 'secondary' };

export interface SingleInstanceOptions {
  /** A unix socket path in a directory only this user can enter, or a Windows pipe name. */
  socketPath: string;
  argv: string[];
  cwd?: string;
  /** Called in the running instance for every later launch: focus a window, open the link. */
  onSecondLaunch(launch: SecondLaunch): void;
}

const MAX_MESSAGE_BYTES = 64 * 1024;
const isWindows = process.platform === 'win32';

/**
 * One Portaldesk per user. The first launch listens on a socket in the user's runtime
 * directory; a later launch connects, hands over its arguments (e.g. a `portaldesk://` link)
 * and is told to exit. A socket left by a crashed instance is detected (nobody answers, its
 * owner's pid is gone) and taken over; a lock file with the owner's pid settles races between
 * launches started at the same moment. (One window remains: two launches that both find the
 * same crashed owner's lock within milliseconds can both clear it; the cost is two windows
 * once, after a crash.)
 */
export async function claimSingleInstance(options: SingleInstanceOptions): Promise<SingleInstance> {
  const launch: SecondLaunch = { type: 'second-launch', argv: options.argv, cwd: options.cwd ?? process.cwd() };
  if (!isWindows) mkdirSync(dirname(options.socketPath), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await handOver(options.socketPath, launch)) return { role: 'secondary' };
    if (isWindows || takeLock(lockPath(options.socketPath))) {
      const server = await listen(options, isWindows).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') return null;
        throw error;
      });
      if (server) return { role: 'primary', release: () => release(server, options.socketPath) };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('Could not settle which Portaldesk instance runs');
}

function lockPath(socketPath: string): string {
  return `${socketPath}.lock`;
}

/** Takes the lock, or clears it when the pid in it no longer runs (the next try takes it). */
function takeLock(path: string): boolean {
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
  if (!Number.isInteger(owner) || !isProcessAlive(owner)) rmSync(path, { force: true });
  return false;
}

function handOver(socketPath: string, launch: SecondLaunch): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const timer = setTimeout(() => finish(false), 3000);
    function finish(result: boolean) {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write(`${JSON.stringify(launch)}\n`));
    onFirstLine(socket, (line) => finish(line === 'ok'));
  });
}

function listen(options: SingleInstanceOptions, windows: boolean): Promise<Server> {
  if (!windows) rmSync(options.socketPath, { force: true });
  const server = createServer((socket) => receive(socket, options.onSecondLaunch));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function receive(socket: Socket, onSecondLaunch: (launch: SecondLaunch) => void): void {
  socket.on('error', () => socket.destroy());
  onFirstLine(socket, (line) => {
    let parsed: SecondLaunch;
    try {
      parsed = secondLaunchSchema.parse(JSON.parse(line));
    } catch {
      socket.destroy();
      return;
    }
    socket.end('ok\n');
    onSecondLaunch(parsed);
  });
}

/** Calls back with the first newline-terminated line; a peer that sends too much is cut off. */
function onFirstLine(socket: Socket, callback: (line: string) => void): void {
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const end = buffered.indexOf('\n');
    if (end >= 0) {
      socket.off('data', onData);
      callback(buffered.slice(0, end));
    } else if (buffered.length > MAX_MESSAGE_BYTES) {
      socket.destroy();
    }
  };
  socket.on('data', onData);
}

function release(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      if (!isWindows) rmSync(lockPath(socketPath), { force: true });
      resolve();
    });
  });
}

/** The first `portaldesk://` link among a launch's arguments, if any. */
export function findDeepLink(argv: string[]): string | undefined {
  return argv.find((arg) => /^portaldesk:\/\//i.test(arg));
}

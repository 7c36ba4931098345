import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildOrder, ChildReport } from './realtime-child-orders.ts';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

const CHILD = fileURLToPath(new URL('./realtime-child.ts', import.meta.url));

/** A server process started by a test, answering orders over IPC. */
export class RealtimeChild {
  port = 0;
  private nextId = 1;
  private readonly answers = new Map<number, (value: unknown) => void>();
  readonly exited: Promise<number | null>;

  private constructor(readonly process: ChildProcess) {
    process.on('message', (report: ChildReport) => {
      if (report.type === 'answer') this.answers.get(report.id)?.(report.value);
    });
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  /**
   * Starts a server process on the given schema of DATABASE_URL, with REDIS_URL; `env` adds
   * settings, or removes them with undefined (no DATABASE_URL: its own cluster in PORTALDESK_DATA).
   */
  static async start(
    schema: string,
    env: Record<string, string | undefined> = {},
    execArgv: string[] = [],
  ): Promise<RealtimeChild> {
    const merged = { ...process.env, REALTIME_SCHEMA: schema, REDIS_NAMESPACE: schema, PORT: '0', ...env };
    const child = new RealtimeChild(
      fork(CHILD, [], {
        execArgv: ['--import', 'tsx', ...execArgv],
        env: Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)),
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    child.port = await new Promise<number>((resolve, reject) => {
      child.process.on('message', (report: ChildReport) => {
        if (report.type === 'listening') resolve(report.port);
      });
      child.process.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
    });
    return child;
  }

  ask<T>(order: WithoutId<Extract<ChildOrder, { id: number }>>): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.answers.set(id, resolve as (value: unknown) => void);
      this.process.send({ ...order, id });
    });
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill('SIGTERM');
    await this.exited;
  }

  async kill(): Promise<void> {
    this.process.kill('SIGKILL');
    await this.exited;
  }
}

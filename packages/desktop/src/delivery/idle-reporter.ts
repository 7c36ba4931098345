import { connectSessionIdleTime, type SessionIdleTime } from '../os-integration/session-idle-time.ts';
import type { BackgroundDelivery } from './background-delivery.ts';

/** An account the reporter may tell: connected, with its REST client. */
export interface IdleReportTarget {
  accountId: string;
  rest: { call(method: string, params?: Record<string, unknown>): Promise<unknown> };
}

export interface IdleReporterOptions {
  idleTime: Pick<SessionIdleTime, 'idleMs'>;
  /** The accounts connected now. */
  accounts(): IdleReportTarget[];
  /** Idle this long and the person is "away" (Bitrix24's automatic away). */
  thresholdMs?: number;
  pollMs?: number;
  log?(message: string, fields?: Record<string, unknown>): void;
}

const DEFAULT_THRESHOLD_MS = 10 * 60_000;
const DEFAULT_POLL_MS = 30_000;

/**
 * The automatic "away": when nobody has touched this computer for a while, every connected
 * account tells its portal (`im.user.status.idle.start` with `AGO`, minutes since the last
 * input), and `im.user.status.idle.end` once the person is back. An account that connects while
 * the person is away is told at the next poll.
 */
export class IdleReporter {
  private readonly reported = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(private readonly options: IdleReporterOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), this.options.pollMs ?? DEFAULT_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const idle = await this.options.idleTime.idleMs();
      if (idle === undefined) return;
      const away = idle >= (this.options.thresholdMs ?? DEFAULT_THRESHOLD_MS);
      const accounts = this.options.accounts();
      await Promise.all(
        accounts.map(async (account) => {
          if (away === this.reported.has(account.accountId)) return;
          try {
            if (away) await account.rest.call('im.user.status.idle.start', { AGO: Math.floor(idle / 60_000) });
            else await account.rest.call('im.user.status.idle.end');
            if (away) this.reported.add(account.accountId);
            else this.reported.delete(account.accountId);
          } catch (error) {
            // Tried again at the next poll.
            this.options.log?.('idle not reported', {
              accountId: account.accountId,
              code: (error as { code?: string }).code,
            });
          }
        }),
      );
      const connected = new Set(accounts.map((a) => a.accountId));
      for (const id of this.reported) if (!connected.has(id)) this.reported.delete(id);
    } finally {
      this.checking = false;
    }
  }
}

/**
 * Reports idleness for every connected account of `delivery`, where the session bus tells the
 * idle time; undefined (and nothing reported) where it does not.
 */
export async function startIdleReporting(
  delivery: Pick<BackgroundDelivery, 'statuses' | 'connection'>,
  busAddress: string | undefined,
  log?: IdleReporterOptions['log'],
  timing: Pick<IdleReporterOptions, 'thresholdMs' | 'pollMs'> = {},
): Promise<{ stop(): void } | undefined> {
  const idleTime = await connectSessionIdleTime({ busAddress, ...(log ? { log } : {}) });
  if (!idleTime) return undefined;
  const reporter = new IdleReporter({
    idleTime,
    accounts: () =>
      delivery.statuses().flatMap((status) => {
        const connection = status.state === 'online' ? delivery.connection(status.accountId) : undefined;
        return connection ? [connection] : [];
      }),
    ...(log ? { log } : {}),
    ...timing,
  });
  reporter.start();
  return {
    stop() {
      reporter.stop();
      idleTime.close();
    },
  };
}

import type { EventEmitter } from 'node:events';
import { type MessageBus, sessionBus } from '@jellybrick/dbus-next';

export interface WatchedSessionBus {
  bus: MessageBus;
  /** Rejects when the bus fails (its daemon gone, the address wrong); race it with each start-up step. */
  failed: Promise<never>;
}

/**
 * The session bus at `busAddress` (or the environment's), its failures turned into a promise
 * instead of an `error` event that would take the app down; `undefined` where there is no bus.
 */
export function openWatchedSessionBus(options: {
  busAddress?: string | undefined;
  /** Names the user of the bus in the log line a failure writes. */
  purpose: string;
  log?(message: string, fields?: Record<string, unknown>): void;
}): WatchedSessionBus | undefined {
  const address = options.busAddress ?? process.env.DBUS_SESSION_BUS_ADDRESS;
  if (!address) return undefined;
  const bus = sessionBus({ busAddress: address });
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    fail = reject;
  });
  // A bus that fails after start must not become an unhandled rejection.
  failed.catch(() => undefined);
  (bus as unknown as EventEmitter).on('error', (error: unknown) => {
    options.log?.(`session bus error (${options.purpose})`, { message: String(error) });
    fail(error);
  });
  return { bus, failed };
}

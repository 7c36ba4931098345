import { Message, type MessageBus } from '@jellybrick/dbus-next';
import { busNameAvailable } from '../dbus/bus-name-available.ts';
import { openWatchedSessionBus } from '../dbus/watched-session-bus.ts';

/** How long the person has left keyboard and mouse alone, as the desktop session knows it. */
export interface SessionIdleTime {
  /** Milliseconds since the last input; undefined when the session did not answer this time. */
  idleMs(): Promise<number | undefined>;
  close(): void;
}

interface IdleSource {
  destination: string;
  path: string;
  interface: string;
  member: string;
}

/**
 * Where desktop sessions tell the idle time, both in milliseconds: GNOME (Mutter) and the
 * freedesktop screen saver interface that KDE implements (KIdleTime's milliseconds, whatever
 * the name says). One D-Bus call a poll, nothing to install.
 */
const SOURCES: readonly IdleSource[] = [
  {
    destination: 'org.gnome.Mutter.IdleMonitor',
    path: '/org/gnome/Mutter/IdleMonitor/Core',
    interface: 'org.gnome.Mutter.IdleMonitor',
    member: 'GetIdletime',
  },
  {
    destination: 'org.freedesktop.ScreenSaver',
    path: '/org/freedesktop/ScreenSaver',
    interface: 'org.freedesktop.ScreenSaver',
    member: 'GetSessionIdleTime',
  },
];

const CONNECT_TIMEOUT_MS = 2_000;

async function ask(bus: MessageBus, source: IdleSource): Promise<number | undefined> {
  const reply = await bus.call(new Message({ ...source }));
  const value = reply?.body[0];
  const ms = typeof value === 'bigint' ? Number(value) : value;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/**
 * The session's idle time over D-Bus; `undefined` where no session bus or no source answers
 * (then the desktop reports no idleness: people set "Away" themselves).
 */
export async function connectSessionIdleTime(options: {
  busAddress?: string | undefined;
  log?(message: string, fields?: Record<string, unknown>): void;
}): Promise<SessionIdleTime | undefined> {
  const watched = openWatchedSessionBus({ ...options, purpose: 'idle time' });
  if (!watched) return undefined;
  const { bus, failed: busFailed } = watched;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('the session bus did not answer')), CONNECT_TIMEOUT_MS);
  });
  const find = async (): Promise<IdleSource | undefined> => {
    for (const source of SOURCES) {
      if (!(await busNameAvailable(bus, source.destination))) continue;
      if ((await ask(bus, source).catch(() => undefined)) !== undefined) return source;
    }
    return undefined;
  };
  try {
    const lookup = find();
    lookup.catch(() => undefined);
    const source = await Promise.race([lookup, busFailed, timeout]);
    if (!source) throw new Error('no idle time source on the session bus');
    return {
      idleMs: () => ask(bus, source).catch(() => undefined),
      close: () => bus.disconnect(),
    };
  } catch (error) {
    options.log?.('idle time not available', { message: String(error) });
    bus.disconnect();
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

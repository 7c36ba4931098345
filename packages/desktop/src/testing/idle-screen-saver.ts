import { type MessageBus, sessionBus } from '@jellybrick/dbus-next';
import { ConfiguredInterface } from '../dbus/configured-interface.ts';

/** The freedesktop screen saver interface, answering only the idle time the test sets. */
class ScreenSaverInterface extends ConfiguredInterface {
  idleMs = 0;

  constructor() {
    super('org.freedesktop.ScreenSaver');
  }

  GetSessionIdleTime(): number {
    return this.idleMs;
  }
}

ScreenSaverInterface.configureMembers({
  methods: { GetSessionIdleTime: { inSignature: '', outSignature: 'u' } },
});

export interface IdleScreenSaver {
  /** What the session says from now on: milliseconds since the last input. */
  setIdleMs(ms: number): void;
  stop(): Promise<void>;
}

/** `org.freedesktop.ScreenSaver` on a test's private session bus, idle as long as the test says. */
export async function startIdleScreenSaver(busAddress: string): Promise<IdleScreenSaver> {
  const bus: MessageBus = sessionBus({ busAddress });
  await bus.requestName('org.freedesktop.ScreenSaver', 0);
  const service = new ScreenSaverInterface();
  bus.export('/org/freedesktop/ScreenSaver', service);
  return {
    setIdleMs: (ms) => {
      service.idleMs = ms;
    },
    stop: async () => {
      bus.disconnect();
    },
  };
}

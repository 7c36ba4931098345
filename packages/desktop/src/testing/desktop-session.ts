import {
  type RecordingNotificationService,
  startRecordingNotificationService,
} from './recording-notification-service.ts';
import { type RecordingTrayHost, startRecordingTrayHost } from './recording-tray-host.ts';
import { type PrivateSessionBus, startSessionBus } from './session-bus.ts';
import { startXvfb, type VirtualDisplay } from './xvfb.ts';

/**
 * What the desktop meets in a person's Linux session, for tests that watch it there: a virtual
 * display, a private session bus, and on that bus a notification service and a tray host that
 * record what the app shows.
 */
export interface DesktopSession {
  display: VirtualDisplay;
  bus: PrivateSessionBus;
  notifications: RecordingNotificationService;
  trayHost: RecordingTrayHost;
  stop(): Promise<void>;
}

export async function startDesktopSession(): Promise<DesktopSession> {
  const [display, bus] = await Promise.all([startXvfb(), startSessionBus()]);
  const notifications = await startRecordingNotificationService(bus.address);
  const trayHost = await startRecordingTrayHost(bus.address);
  return {
    display,
    bus,
    notifications,
    trayHost,
    async stop() {
      await notifications.stop();
      await trayHost.stop();
      await Promise.all([display.stop(), bus.stop()]);
    },
  };
}

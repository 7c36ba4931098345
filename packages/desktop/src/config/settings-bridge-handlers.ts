import type { BridgeHandlers } from '../bridge/ui-bridge.ts';
import { setStartOnLogin, type XdgLocations } from '../os-integration/xdg-desktop-files.ts';
import type { Settings } from './settings.ts';
import type { SettingsHolder } from './settings-holder.ts';

type SettingsHandlers = Pick<BridgeHandlers, 'settings.get' | 'settings.update'>;

/** The app-wide switches of the accounts window: do-not-disturb, close to tray, start on login. */
export function settingsBridgeHandlers(deps: {
  settings: SettingsHolder;
  xdg: XdgLocations | undefined;
}): SettingsHandlers {
  return {
    'settings.get': async () => appSettingsView(deps.settings.get()),
    'settings.update': async (change) => {
      const updated = await deps.settings.update((settings) => ({
        ...settings,
        ...Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)),
      }));
      if (change.startOnLogin !== undefined && deps.xdg) await setStartOnLogin(deps.xdg, change.startOnLogin);
      return appSettingsView(updated);
    },
  };
}

function appSettingsView(settings: Settings) {
  return {
    doNotDisturb: settings.doNotDisturb,
    closeToTray: settings.closeToTray,
    startOnLogin: settings.startOnLogin,
  };
}

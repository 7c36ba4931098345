import type { BridgeHandlers } from '../bridge/ui-bridge.ts';
import type { SettingsWarning } from '../config/settings-store.ts';
import type { CredentialVault } from '../vault/credential-vault.ts';
import { closeSoon } from '../windows/close-soon.ts';

type AppHandlers = Pick<BridgeHandlers, 'app.info' | 'window.close'>;

/** What every own window may ask: the app's version and start-up warnings, and to close itself. */
export function appBridgeHandlers(app: {
  version: string;
  vault: Pick<CredentialVault, 'warning'>;
  settingsWarning: SettingsWarning | undefined;
}): AppHandlers {
  return {
    'app.info': async () => ({
      version: app.version,
      vaultWarning: app.vault.warning?.message ?? null,
      settingsWarning: app.settingsWarning?.message ?? null,
    }),
    'window.close': async (_request, caller) => {
      void closeSoon(caller.page);
      return {};
    },
  };
}

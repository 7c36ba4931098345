import type { BridgeHandlers } from '../bridge/ui-bridge.ts';
import { closeSoon } from '../windows/close-soon.ts';
import type { WindowRouter } from '../windows/window-router.ts';
import type { DesktopNetworkSignIn } from './desktop-network-sign-in.ts';

type NetworkHandlers = Pick<BridgeHandlers, 'network.signIn' | 'network.addAccounts' | 'network.signOut'>;

/** The login window's "Sign in with Network profile"; the Network's token stays in `network`. */
export function networkBridgeHandlers(deps: {
  network: DesktopNetworkSignIn;
  router: Pick<WindowRouter, 'switchTo'>;
  /** The Network's address, whose cookies in the app's browser sign-out clears. */
  networkUrl: string | undefined;
}): NetworkHandlers {
  return {
    'network.signIn': async () => ({ portals: await deps.network.portals() }),
    'network.addAccounts': async ({ portalIds }, caller) => {
      const accountIds = await deps.network.addAccounts(portalIds);
      const last = accountIds.at(-1);
      if (last) await deps.router.switchTo(last);
      void closeSoon(caller.page);
      return { accountIds };
    },
    'network.signOut': async (_request, caller) => {
      await deps.network.signOut();
      if (deps.networkUrl) {
        await caller.page.context().clearCookies({ domain: new URL(deps.networkUrl).hostname });
      }
      return {};
    },
  };
}

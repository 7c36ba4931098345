import type { BridgeHandlers } from '../bridge/ui-bridge.ts';
import type { DesktopFetch } from '../portal/desktop-http-client.ts';
import { checkPortal } from '../portal/portal-check.ts';
import { closeSoon } from '../windows/close-soon.ts';
import type { WindowRouter } from '../windows/window-router.ts';
import type { AccountLifecycle } from './account-lifecycle.ts';

type LoginHandlers = Pick<BridgeHandlers, 'login.checkPortal' | 'login.signIn'>;

/** The login window's password sign-in: the portal's address checked first, then the account added. */
export function loginBridgeHandlers(deps: {
  fetch: DesktopFetch;
  lifecycle: Pick<AccountLifecycle, 'addWithPassword'>;
  router: Pick<WindowRouter, 'openAccountWindow'>;
}): LoginHandlers {
  return {
    'login.checkPortal': async ({ address }) => {
      const portal = await checkPortal(address, { fetch: deps.fetch });
      return { origin: portal.origin, host: portal.host };
    },
    'login.signIn': async (request, caller) => {
      const result = await deps.lifecycle.addWithPassword(request);
      if (result.status === 'need-otp') return result;
      await deps.router.openAccountWindow(result.account.id, result.session);
      void closeSoon(caller.page);
      return { status: 'signed-in', accountId: result.account.id };
    },
  };
}

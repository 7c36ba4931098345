import { openInSystemBrowser } from '../links/system-browser.ts';
import { builtUpdateAddress } from '../paths/built-layout.ts';
import { startUpdateChecks, UpdateCheckError, type UpdateChecks } from './update-check.ts';
import { showUpdateNotice } from './update-notice.ts';

/**
 * Off unless an address is configured: `PORTALDESK_UPDATE_URL`, or the one a packager built in
 * (`PORTALDESK_UPDATE_URL` at `npm run build`). The user is told; nothing is downloaded.
 */
export function setupUpdateChecks(
  version: string,
  log: (message: string, fields?: Record<string, unknown>) => void,
): UpdateChecks | undefined {
  const updateAddress = process.env.PORTALDESK_UPDATE_URL ?? builtUpdateAddress();
  if (!updateAddress) return undefined;
  try {
    return startUpdateChecks({
      manifestUrl: updateAddress,
      currentVersion: version,
      log,
      onAvailable: (update) => {
        log('update available', { version: update.version });
        void showUpdateNotice(update, { currentVersion: version, openOutside: openInSystemBrowser, log });
      },
    });
  } catch (error) {
    if (!(error instanceof UpdateCheckError)) throw error;
    log('update checks off', { code: error.code });
    return undefined;
  }
}

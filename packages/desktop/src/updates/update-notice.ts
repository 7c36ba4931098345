import type { OpenOutside } from '../links/system-browser.ts';
import { FreedesktopNotifier } from '../notifications/freedesktop-notifier.ts';
import type { AvailableUpdate } from './update-manifest.ts';

/** The notifier's "account" for update notices: never an account id (those are UUIDs). */
const UPDATE_NOTICE = 'portaldesk-update';

export interface UpdateNoticeOptions {
  currentVersion: string;
  /** Opens the download page in the user's browser when they click the notice. */
  openOutside: OpenOutside;
  busAddress?: string;
  log?(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Tells the user of a newer version with an OS notification; a click opens the manifest's
 * download page in their browser (what to install is their choice, made there). Connects to the
 * notification service only when there is something to tell. Without one, the log line is all.
 */
export async function showUpdateNotice(update: AvailableUpdate, options: UpdateNoticeOptions): Promise<boolean> {
  const notifier = await FreedesktopNotifier.connect({
    ...(options.busAddress ? { busAddress: options.busAddress } : {}),
    onActivated: ({ accountId, dialogId }) => {
      if (accountId === UPDATE_NOTICE && dialogId === update.version) void options.openOutside(update.url);
    },
    ...(options.log ? { log: options.log } : {}),
  });
  if (!notifier) return false;
  await notifier.show({
    accountId: UPDATE_NOTICE,
    dialogId: update.version,
    title: `Portaldesk ${update.version} is available`,
    body: `${update.notes ? `${update.notes}\n` : ''}You have ${options.currentVersion}. Click to open the download page (${new URL(update.url).host}).`,
  });
  return true;
}

export interface WindowSize {
  width: number;
  height: number;
}

/**
 * What a window shows. The desktop's own windows (login, chat, accounts) load the UI and get the
 * bridge; an account's window loads its portal in that account's own browser profile and never
 * gets the bridge.
 */
export type WindowTarget =
  | { kind: 'own'; name: string; url: string; size?: WindowSize }
  | { kind: 'account'; accountId: string; url: string; size?: WindowSize };

/** The Chromium profile directory (cookie jar, storage, cache) of one account. */
export function accountProfileDirectory(accountId: string): string {
  if (!/^[a-z0-9-]{1,64}$/.test(accountId)) throw new Error('bad account id');
  return `pd-account-${accountId}`;
}

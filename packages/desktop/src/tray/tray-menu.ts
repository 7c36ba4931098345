/** What the tray shows for one account. */
export interface TrayAccount {
  id: string;
  userDisplayName: string;
  portalTitle: string;
  unread: number;
  /** The account's status on its portal is "Do not disturb": its notifications are silenced. */
  doNotDisturb?: boolean;
  /** The person's photo as PNG, shown beside the account's entry. */
  photoPng?: Uint8Array;
}

export interface TrayModel {
  accounts: TrayAccount[];
  doNotDisturb: boolean;
}

export type TrayAction =
  | { kind: 'switch'; accountId: string }
  | { kind: 'show' }
  | { kind: 'chats' }
  | { kind: 'accounts' }
  | { kind: 'toggle-do-not-disturb' }
  | { kind: 'quit' };

export interface TrayMenuItem {
  /** Stable within one layout revision; 0 is the root. */
  id: number;
  label: string;
  type: 'standard' | 'separator';
  toggle?: boolean;
  /** A PNG shown beside the label (the account's photo). */
  iconPng?: Uint8Array;
  action?: TrayAction;
}

export function totalUnread(model: TrayModel): number {
  return model.accounts.reduce((sum, a) => sum + a.unread, 0);
}

/** The tray menu: each account with its count, then show, the chat window, accounts, do-not-disturb and quit. */
export function trayMenuItems(model: TrayModel): TrayMenuItem[] {
  const items: TrayMenuItem[] = model.accounts.map((account, index) => ({
    id: index + 1,
    label: `${account.userDisplayName} — ${account.portalTitle}${account.unread > 0 ? ` (${account.unread})` : ''}${account.doNotDisturb ? ' — Do not disturb' : ''}`,
    type: 'standard',
    ...(account.photoPng ? { iconPng: account.photoPng } : {}),
    action: { kind: 'switch', accountId: account.id },
  }));
  const next = items.length + 1;
  if (items.length > 0) items.push({ id: next, label: '', type: 'separator' });
  items.push(
    { id: next + 1, label: 'Show Portaldesk', type: 'standard', action: { kind: 'show' } },
    { id: next + 5, label: 'Chats', type: 'standard', action: { kind: 'chats' } },
    { id: next + 4, label: 'Accounts…', type: 'standard', action: { kind: 'accounts' } },
    {
      id: next + 2,
      label: 'Do not disturb',
      type: 'standard',
      toggle: model.doNotDisturb,
      action: { kind: 'toggle-do-not-disturb' },
    },
    { id: next + 3, label: 'Quit', type: 'standard', action: { kind: 'quit' } },
  );
  return items;
}

/**
 * Nothing will notify: "Do not disturb" is on here, or every account's status on its portal is
 * "Do not disturb". The icon then wears the do-not-disturb mark.
 */
export function trayIsQuiet(model: TrayModel): boolean {
  return model.doNotDisturb || (model.accounts.length > 0 && model.accounts.every((a) => a.doNotDisturb));
}

/** The tray's title and tooltip. */
export function trayTitle(model: TrayModel): string {
  const unread = totalUnread(model);
  return unread > 0 ? `Portaldesk — ${unread} unread` : 'Portaldesk';
}

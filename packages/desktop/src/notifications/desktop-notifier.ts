/** One message notification: which account and dialog it belongs to, and what it says. */
export interface MessageNotification {
  accountId: string;
  /** `15` (a one-to-one dialog) or `chat7`. */
  dialogId: string;
  /** The account it came to, as the user knows it: the portal's title and the user. */
  title: string;
  body: string;
  /** The desktop plays its short message sound with it (off: it is told to stay silent). */
  sound?: boolean;
  /** A picture file shown as the notification's icon (the sender's photo). */
  iconPath?: string;
}

/** Where notifications are shown: the OS's notification service. */
export interface DesktopNotifier {
  /** Shows `notification`, replacing the one shown earlier for the same account and dialog. */
  show(notification: MessageNotification): Promise<void>;
  /** Withdraws the dialog's notification (it was read elsewhere). */
  withdraw(accountId: string, dialogId: string): Promise<void>;
  close(): Promise<void>;
}

export type NotificationActivated = (target: { accountId: string; dialogId: string }) => void;

import { z } from 'zod';
import { PHOTO_ADDRESS } from '../messenger/photos.ts';

/*
 * Every message the desktop's own windows (login, chat, accounts) can send to the desktop main
 * process, with its request and result schemas: the whole surface of the UI bridge in one place.
 * The main process validates both directions; anything not listed here does not exist.
 * Each channel also names the windows that may call it (`windows`): a window's bridge has the
 * handlers of its own channels only, and a call to another window's channel is refused.
 */

/** The desktop's own windows that get the bridge (the Network's sign-in page gets none). */
export const BRIDGE_WINDOWS = ['login', 'chat', 'accounts'] as const;
export type BridgeWindow = (typeof BRIDGE_WINDOWS)[number];

const accountSummarySchema = z.object({
  id: z.string(),
  portalOrigin: z.string(),
  portalTitle: z.string(),
  userDisplayName: z.string(),
  login: z.string(),
  avatarUrl: z.string().nullable(),
  muted: z.boolean(),
  /** The account's notifications: with a sound, and with the message's text. */
  notifications: z.object({ sound: z.boolean(), preview: z.boolean() }),
  active: z.boolean(),
  /** Unread messages and portal notifications, kept by the account's background connection. */
  unread: z.number().int().nonnegative(),
  /** `needs-password`: its application password was revoked; it signs in again from the login window. */
  connection: z.enum(['connecting', 'online', 'offline', 'needs-password']),
});

/** The login window's QR sign-in as the main process runs it (issue 7). */
export const QR_SIGN_IN_STEPS = [
  'idle',
  'starting',
  'waiting_for_scan',
  'scanned',
  'waiting_for_approval',
  'approved',
  'signed-in',
  'denied',
  'expired',
  'failed',
  'error',
] as const;

const qrSignInViewSchema = z.object({
  /** Grows with every change: `qr.status` answers when there is a view newer than the window's. */
  version: z.number().int().nonnegative(),
  step: z.enum(QR_SIGN_IN_STEPS),
  host: z.string().nullable(),
  /** What the QR code shows, an `https://<portal>/m/qr-sign-in#…` link; replaced as it rotates. */
  qrUrl: z.string().nullable(),
  expiresAt: z.string().nullable(),
  checkCodeLength: z.number().int().positive().nullable(),
  /** Written for the user: why it ended, or what went wrong. */
  message: z.string().nullable(),
});
export type QrSignInView = z.infer<typeof qrSignInViewSchema>;

/** A portal of the person's Network profile, as the login window lists it to choose from. */
const networkPortalChoiceSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  userName: z.string(),
  reachable: z.boolean(),
  /** The desktop has this account already: shown as added, not offered again. */
  added: z.boolean(),
});
export type NetworkPortalChoice = z.infer<typeof networkPortalChoiceSchema>;

const accountIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/);
const accountIdRequest = z.object({ accountId: accountIdSchema }).strict();
const empty = z.object({});

/** The account the chat window shows: who reads, on which portal. */
export const chatAccountSchema = z.object({
  id: z.string(),
  userId: z.number().int().positive(),
  userDisplayName: z.string(),
  portalTitle: z.string(),
  portalOrigin: z.string(),
  avatarUrl: z.string().nullable(),
});
export type ChatAccount = z.infer<typeof chatAccountSchema>;

/**
 * The portal methods the chat window may call through the main process: the messenger's reads and
 * writes, nothing that touches the account, its sessions or its application passwords.
 */
export const CHAT_REST_METHODS = [
  'im.recent.list',
  'im.dialog.messages.get',
  'im.message.add',
  'im.message.update',
  'im.message.delete',
  // Forwarding a message into another of the reader's chats.
  'im.message.forward',
  'im.dialog.read',
  'im.dialog.writing',
  // The name of a colleague whose dialog is opened before it has a message.
  'im.user.get',
  // Group chats: start one, see and change its members, leave it; colleagues to pick from.
  'im.chat.add',
  'im.dialog.users.list',
  'im.chat.user.add',
  'im.chat.user.delete',
  'im.chat.leave',
  'user.get',
  // Status: the dots of colleagues not heard of yet, and the reader's own status menu.
  'im.user.list.get',
  'im.user.status.set',
  // Search in one chat or in all, and reactions.
  'im.dialog.messages.search',
  'im.search.message.list',
  'im.v2.Chat.Message.Reaction.add',
  'im.v2.Chat.Message.Reaction.delete',
  // Portal notifications: their count for the badge, the list, marking them read.
  'im.counters.get',
  'im.notify.get',
  'im.notify.read',
  // The reader's own pins and mutes in the chat list.
  'im.recent.pin',
  'im.chat.mute',
] as const;

/** The largest file the chat window sends through the bridge (its bytes cross it as Base64). */
export const CHAT_FILE_BRIDGE_LIMIT = 25 * 1024 * 1024;

export const bridgeChannels = {
  /** What the windows need to know about the app at start: version and warnings to show. */
  'app.info': {
    windows: ['login', 'chat', 'accounts'],
    request: z.object({}).strict(),
    result: z.object({
      version: z.string(),
      /** Set when secrets are kept in the encrypted-file fallback rather than the OS keyring. */
      vaultWarning: z.string().nullable(),
      /** Set when the settings file was damaged and reset at start. */
      settingsWarning: z.string().nullable(),
    }),
  },
  /** Checks a typed portal address before any password is sent to it. */
  'login.checkPortal': {
    windows: ['login'],
    request: z.object({ address: z.string().min(1).max(300) }).strict(),
    result: z.object({ origin: z.string(), host: z.string() }),
  },
  /** Password sign-in; `need-otp` asks the window for the one-time code and a second call. */
  'login.signIn': {
    windows: ['login'],
    request: z
      .object({
        address: z.string().min(1).max(300),
        login: z.string().min(1).max(320),
        password: z.string().min(1).max(4096),
        otp: z
          .string()
          .regex(/^\d{4,10}$/)
          .optional(),
      })
      .strict(),
    result: z.discriminatedUnion('status', [
      z.object({ status: z.literal('signed-in'), accountId: z.string() }),
      z.object({ status: z.literal('need-otp') }),
    ]),
  },
  /** Starts a QR sign-in to the portal at `address`; any earlier one is cancelled. */
  'qr.start': {
    windows: ['login'],
    request: z.object({ address: z.string().min(1).max(300) }).strict(),
    result: qrSignInViewSchema,
  },
  /** The QR sign-in's view once it is newer than `after` (waits up to 20 s, then answers as it is). */
  'qr.status': {
    windows: ['login'],
    request: z.object({ after: z.number().int().min(-1) }).strict(),
    result: qrSignInViewSchema,
  },
  /** The check code the phone shows, as the user typed it. */
  'qr.confirm': {
    windows: ['login'],
    request: z
      .object({
        checkCode: z
          .string()
          .regex(/^[\d\s-]{1,16}$/)
          .min(1),
      })
      .strict(),
    result: z.object({ accepted: z.boolean(), triesLeft: z.number().int().min(0) }),
  },
  'qr.cancel': { windows: ['login'], request: z.object({}).strict(), result: empty },
  /**
   * The profile's portals. Opens the Network's own sign-in page in an app window first, unless
   * the desktop's Network sign-in still lasts; answers once the person signed in there.
   */
  'network.signIn': {
    windows: ['login'],
    request: z.object({}).strict(),
    result: z.object({ portals: z.array(networkPortalChoiceSchema) }),
  },
  /** Adds an account on each chosen portal of the profile, each with its own portal session. */
  'network.addAccounts': {
    windows: ['login'],
    request: z.object({ portalIds: z.array(z.string().min(1).max(100)).min(1).max(50) }).strict(),
    result: z.object({ accountIds: z.array(z.string()) }),
  },
  /**
   * Signs the desktop out of the Network: its token is revoked and the Network page's cookies in
   * the app's browser are cleared, so the next Network sign-in asks for the password. Accounts it
   * added stay signed in on their own portal sessions.
   */
  'network.signOut': { windows: ['login'], request: z.object({}).strict(), result: empty },
  'accounts.list': {
    windows: ['chat', 'accounts'],
    request: z.object({}).strict(),
    result: z.object({ accounts: z.array(accountSummarySchema) }),
  },
  /** Brings the account's window forward (opening it when closed); makes it the active account. */
  'accounts.switch': { windows: ['accounts'], request: accountIdRequest, result: empty },
  /** Opens the login window to add another account. */
  'accounts.add': { windows: ['chat', 'accounts'], request: z.object({}).strict(), result: empty },
  /** The accounts in the order the user dragged them to; every account exactly once. */
  'accounts.reorder': {
    windows: ['accounts'],
    request: z.object({ accountIds: z.array(z.string().max(64)).max(100) }).strict(),
    result: empty,
  },
  /** A signed-out account: opens the login window with its portal address and login filled in. */
  'accounts.signInAgain': { windows: ['chat', 'accounts'], request: accountIdRequest, result: empty },
  /** Forgets the account's secrets and browser data; it stays listed and asks for the password. */
  'accounts.signOut': { windows: ['accounts'], request: accountIdRequest, result: empty },
  /** Forgets the account entirely: listing, secrets, browser data. */
  'accounts.remove': { windows: ['accounts'], request: accountIdRequest, result: empty },
  'accounts.setMuted': {
    windows: ['accounts'],
    request: z.object({ accountId: z.string().regex(/^[a-z0-9-]{1,64}$/), muted: z.boolean() }).strict(),
    result: empty,
  },
  /** The account's notification sound and message preview, each on or off. */
  'accounts.setNotifications': {
    windows: ['accounts'],
    request: z
      .object({ accountId: accountIdSchema, sound: z.boolean().optional(), preview: z.boolean().optional() })
      .strict(),
    result: empty,
  },
  'settings.get': {
    windows: ['accounts'],
    request: z.object({}).strict(),
    result: z.object({ doNotDisturb: z.boolean(), closeToTray: z.boolean(), startOnLogin: z.boolean() }),
  },
  'settings.update': {
    windows: ['accounts'],
    request: z
      .object({
        doNotDisturb: z.boolean().optional(),
        closeToTray: z.boolean().optional(),
        startOnLogin: z.boolean().optional(),
      })
      .strict(),
    result: z.object({ doNotDisturb: z.boolean(), closeToTray: z.boolean(), startOnLogin: z.boolean() }),
  },
  /** The chat window: the account it shows now (the active one), none before the first sign-in. */
  'chat.account': {
    windows: ['chat'],
    request: z.object({}).strict(),
    result: z.object({ account: chatAccountSchema.nullable() }),
  },
  /**
   * A messenger call made by the main process with the account's own session; the window never
   * holds the session's cookie or `sessid`. Portal errors come back as the portal's own code.
   */
  'chat.rest': {
    windows: ['chat'],
    request: z
      .object({
        accountId: accountIdSchema,
        method: z.enum(CHAT_REST_METHODS),
        params: z.record(z.string(), z.unknown()),
      })
      .strict(),
    result: z.object({ result: z.unknown() }),
  },
  /**
   * Sends a file into a dialog as the account, by the portal's documented flow, made by the main
   * process with the account's session (the window has none). At most `CHAT_FILE_BRIDGE_LIMIT`.
   */
  'chat.fileSend': {
    windows: ['chat'],
    request: z
      .object({
        accountId: accountIdSchema,
        dialogId: z.string().regex(/^(chat)?\d{1,12}$/),
        name: z.string().min(1).max(255),
        contentBase64: z.string().max(Math.ceil(CHAT_FILE_BRIDGE_LIMIT / 3) * 4),
      })
      .strict(),
    result: empty,
  },
  /**
   * A chat file's bytes by its address on the account's portal (`/disk/file/…`), or a photo's
   * (`/photo/…`), for the window to show.
   */
  'chat.fileRead': {
    windows: ['chat'],
    request: z
      .object({
        accountId: accountIdSchema,
        address: z.union([
          z.string().regex(/^\/disk\/file\/\d{1,10}\/[A-Za-z0-9_-]{1,64}\/(preview|show|download)$/),
          z.string().regex(PHOTO_ADDRESS),
        ]),
      })
      .strict(),
    result: z.object({ contentType: z.string(), contentBase64: z.string() }),
  },
  /** Makes the account active for the chat window (its own account menu, Ctrl+1…9 there). */
  'chat.showAccount': { windows: ['chat'], request: accountIdRequest, result: empty },
  /**
   * What the person has in front of them: the dialog open in the chat window and whether the
   * window has focus. Its messages raise no notification while both hold.
   */
  'chat.viewing': {
    windows: ['chat'],
    request: z
      .object({
        accountId: accountIdSchema,
        dialogId: z
          .string()
          .regex(/^(chat)?\d{1,12}$/)
          .nullable(),
        focused: z.boolean(),
      })
      .strict(),
    result: empty,
  },
  /** Closes the window that sent it. */
  'window.close': {
    windows: ['login', 'chat', 'accounts'],
    request: z.object({}).strict(),
    result: z.object({}),
  },
} as const satisfies Record<string, { windows: readonly BridgeWindow[]; request: z.ZodType; result: z.ZodType }>;

export type BridgeChannel = keyof typeof bridgeChannels;
/** The channels `window` may call. */
export type BridgeChannelOf<W extends BridgeWindow> = {
  [C in BridgeChannel]: W extends (typeof bridgeChannels)[C]['windows'][number] ? C : never;
}[BridgeChannel];

export function channelAllowedIn(channel: BridgeChannel, window: BridgeWindow): boolean {
  return (bridgeChannels[channel].windows as readonly BridgeWindow[]).includes(window);
}
export type BridgeRequest<C extends BridgeChannel> = z.infer<(typeof bridgeChannels)[C]['request']>;
export type BridgeResult<C extends BridgeChannel> = z.infer<(typeof bridgeChannels)[C]['result']>;

/** Error codes a bridge call can fail with, besides the typed errors of the handlers. */
export type BridgeErrorCode =
  | 'BRIDGE_UNKNOWN_CHANNEL'
  | 'BRIDGE_BAD_REQUEST'
  | 'BRIDGE_FORBIDDEN'
  /** The channel is another window's (the login window asking to remove an account). */
  | 'BRIDGE_WRONG_WINDOW'
  | 'BRIDGE_INTERNAL';

export type BridgeAnswer<T> = { ok: true; result: T } | { ok: false; error: { code: string; message: string } };

/** The name of the function the main process puts into its own windows. */
export const BRIDGE_BINDING_NAME = '__portaldeskBridge';

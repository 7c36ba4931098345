import { z } from 'zod';

/** The version this build writes. Raise it together with a new entry in `settings-migrations.ts`. */
export const SETTINGS_VERSION = 2;

export const accountSettingsSchema = z.object({
  /** Stable local id; also names the account's browser profile and its vault entries. */
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  portal: z.object({
    /** `https://acme.example.com`, as `normalizePortalAddress` gives it. */
    origin: z.string().url(),
    /** What the account list shows: the host, or the portal's own title once known. */
    title: z.string().min(1).max(200),
  }),
  user: z.object({
    id: z.number().int().positive(),
    displayName: z.string().max(200),
    login: z.string().max(320),
    avatarUrl: z.string().url().optional(),
  }),
  /** No notifications from this account; its unread badge still counts. */
  muted: z.boolean().default(false),
  /** How this account's notifications look and sound (since settings version 2). */
  notifications: z
    .object({
      /** A short sound with each notification, played by the desktop's notification service. */
      sound: z.boolean().default(true),
      /** The message's text in the notification; off: "New message" without it. */
      preview: z.boolean().default(true),
    })
    .default({ sound: true, preview: true }),
});

export type AccountSettings = z.infer<typeof accountSettingsSchema>;

export const settingsSchema = z
  .object({
    version: z.literal(SETTINGS_VERSION),
    /** In the order the user arranged them. */
    accounts: z.array(accountSettingsSchema).default([]),
    activeAccountId: z.string().nullable().default(null),
    doNotDisturb: z.boolean().default(false),
    /** Closing the main window keeps the app running in the tray. */
    closeToTray: z.boolean().default(true),
    startOnLogin: z.boolean().default(false),
  })
  .superRefine((settings, ctx) => {
    const ids = new Set<string>();
    for (const account of settings.accounts) {
      if (ids.has(account.id)) ctx.addIssue({ code: 'custom', message: `duplicate account id ${account.id}` });
      ids.add(account.id);
    }
    if (settings.activeAccountId !== null && !ids.has(settings.activeAccountId)) {
      ctx.addIssue({ code: 'custom', path: ['activeAccountId'], message: 'the active account is not in the list' });
    }
  });

export type Settings = z.infer<typeof settingsSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({ version: SETTINGS_VERSION });
}

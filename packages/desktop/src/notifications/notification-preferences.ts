import type { AccountSettings } from '../config/settings.ts';

/** What a notification says before the account's preferences are applied. */
export interface NotificationContent {
  title: string;
  body: string;
  /** What the body says when the account shows no text ("New message"). */
  withoutPreview: string;
}

/** What is shown: the title, the body or its stand-in, and whether it plays a sound. */
export interface PreferredNotification {
  title: string;
  body: string;
  sound: boolean;
}

/**
 * The account's own notification preferences: "Show message text" off replaces the text with a
 * stand-in (someone may be looking at the screen), and "Sound" says whether the desktop plays
 * its short message sound with it.
 */
export function applyNotificationPreferences(
  preferences: AccountSettings['notifications'],
  content: NotificationContent,
): PreferredNotification {
  return {
    title: content.title,
    body: preferences.preview ? content.body : content.withoutPreview,
    sound: preferences.sound,
  };
}

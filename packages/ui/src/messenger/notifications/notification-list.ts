import { z } from 'zod';
import type { RestClient } from '../../rest/rest-client.ts';

/** `im.notify.get` as the Bitrix24 docs define it: the newest notifications first. */
const NotificationSchema = z.looseObject({
  id: z.coerce.number().int(),
  date: z.string(),
  text: z.string().default(''),
  notify_title: z.string().nullish(),
  notify_read: z.enum(['Y', 'N']).default('N'),
  author_id: z.coerce.number().int().default(0),
});
export type NotificationItem = z.infer<typeof NotificationSchema>;

const NotifyListSchema = z.looseObject({
  total_unread_count: z.coerce.number().int().default(0),
  notifications: z.array(NotificationSchema).default([]),
});

export async function fetchNotifications(rest: RestClient): Promise<{ items: NotificationItem[]; unread: number }> {
  const parsed = NotifyListSchema.parse(await rest.call('im.notify.get', { LIMIT: 50 }));
  return { items: parsed.notifications, unread: parsed.total_unread_count };
}

/**
 * `im.notify.read`: `only: true` marks this one notification; otherwise it and every newer one
 * (how "mark all as read" is done, from the oldest one shown).
 */
export async function markNotificationsRead(rest: RestClient, id: number, only: boolean): Promise<void> {
  await rest.call('im.notify.read', { ID: id, ONLY_CURRENT: only ? 'Y' : 'N' });
}

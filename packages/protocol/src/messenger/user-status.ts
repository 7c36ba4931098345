import { z } from 'zod';
import { restInt } from '../rest/rest-params.ts';

/**
 * A person's status as Bitrix24's messenger names it (`im.user.status.set/get`): `online`, `away`
 * or `dnd` (do not disturb). It is what the person chose; whether they are connected at all is
 * presence (`last_activity_date`), and whether they are idle is `idle` (the automatic "away").
 */
export const USER_STATUSES = ['online', 'away', 'dnd'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const UserStatusSchema = z.enum(USER_STATUSES);

/** Said by `im.user.status.set` for a value that is not one of {@link USER_STATUSES}. */
export const USER_STATUS_ERROR = 'STATUS_ERROR';

/** `STATUS` is checked by the method, so that a bad value gets {@link USER_STATUS_ERROR}. */
export const imUserStatusSetParams = z.looseObject({ STATUS: z.unknown().optional() });
/** `AGO`: how many minutes ago the person went away (0 when absent; at most a year). */
export const imUserStatusIdleStartParams = z.looseObject({ AGO: restInt.min(0).max(525_600).default(0) });

/** What the realtime `online`/`userStatus` command says of one person. */
export const UserStatusViewSchema = z.looseObject({
  id: z.coerce.number().int(),
  status: z.string(),
  /** When the automatic "away" began; false while not idle. */
  idle: z.union([z.string(), z.literal(false)]),
  /** Now while connected, else when last connected; false when never. */
  last_activity_date: z.union([z.string(), z.literal(false)]),
  desktop_last_date: z.union([z.string(), z.literal(false)]).optional(),
  /**
   * Connected right now (a Portaldesk addition, as the `online`/`userStatusChange` command says):
   * `last_activity_date` alone cannot tell "left a moment ago" from "here".
   */
  online: z.boolean().optional(),
});
export type UserStatusView = z.infer<typeof UserStatusViewSchema>;

/**
 * Module `online`, command `userStatus`: a person's status or presence changed. Sent to the
 * people who share a dialog or chat with them, and, for a status they set, to their own clients
 * (so that a status set on one device shows on the others).
 */
export const USER_STATUS_EVENT = { moduleId: 'online', command: 'userStatus' } as const;
export const UserStatusEventSchema = z.object({ users: z.record(z.string(), UserStatusViewSchema) });
export type UserStatusEventParams = z.infer<typeof UserStatusEventSchema>;

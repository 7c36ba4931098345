import { z } from 'zod';
import { REST_INT_MAX, restBoolean, restInt, restList, restPositiveInt } from './rest-params.ts';

/**
 * A user as `user.current` and `user.get` answer it. `ID` is a string, `ACTIVE` a boolean, dates
 * are ISO 8601 with an offset (`2024-07-22T00:00:00+00:00`); a field the user has no value for is
 * left out, as real portals do.
 */
export interface RestUser {
  ID: string;
  ACTIVE: boolean;
  NAME: string;
  LAST_NAME: string;
  SECOND_NAME?: string;
  EMAIL?: string;
  PERSONAL_MOBILE?: string;
  PERSONAL_PHOTO?: string;
  PERSONAL_GENDER?: string;
  WORK_POSITION?: string;
  TIME_ZONE?: string;
  IS_ONLINE?: 'Y' | 'N';
  DATE_REGISTER?: string;
  LAST_LOGIN?: string;
  USER_TYPE?: 'employee' | 'extranet' | 'email';
}

/** `profile`: basic facts about the caller, available with no scope at all. */
export interface RestProfile {
  ID: string;
  /** May manage applications: the portal's administrators. */
  ADMIN: boolean;
  NAME: string;
  LAST_NAME: string;
  PERSONAL_GENDER: string;
  TIME_ZONE: string;
  /** Only when the user has a photo. */
  PERSONAL_PHOTO?: string;
}

/**
 * The user scopes and the fields each may read (docs: "User Scope Versions"). `user` reads
 * everything; the reduced scopes read only their lists.
 */
export const USER_BRIEF_FIELDS: ReadonlySet<string> = new Set([
  'ID',
  'XML_ID',
  'ACTIVE',
  'NAME',
  'LAST_NAME',
  'SECOND_NAME',
  'TITLE',
  'IS_ONLINE',
  'TIME_ZONE',
  'PERSONAL_PHOTO',
  'TIMESTAMP_X',
  'DATE_REGISTER',
  'PERSONAL_PROFESSION',
  'PERSONAL_GENDER',
  'PERSONAL_BIRTHDAY',
  'PERSONAL_CITY',
  'PERSONAL_STATE',
  'PERSONAL_COUNTRY',
  'WORK_POSITION',
  'WORK_CITY',
  'WORK_STATE',
  'WORK_COUNTRY',
  'LAST_ACTIVITY_DATE',
  'UF_EMPLOYMENT_DATE',
  'UF_DEPARTMENT',
]);

export const USER_BASIC_FIELDS: ReadonlySet<string> = new Set([
  ...USER_BRIEF_FIELDS,
  'EMAIL',
  'PERSONAL_PHONE',
  'PERSONAL_MOBILE',
  'WORK_PHONE',
  'WORK_COMPANY',
]);

/** A filter value given once or as a list: `FILTER[ID]=3`, `FILTER[ID][]=3`, `[3, 4]`. */
const idList = restList(restPositiveInt);
const id = restInt.min(0);

/**
 * The `user.get` filter keys understood, with Bitrix24's operator prefixes on `ID` (`>ID` is
 * how the official SDK's `callList` pages). Other fields are refused rather than ignored, so a
 * client never mistakes an unfiltered list for a filtered one.
 */
const FILTER_KEYS = {
  ID: idList,
  '=ID': idList,
  '@ID': idList,
  '!ID': idList,
  '!=ID': idList,
  '!@ID': idList,
  '>ID': id,
  '>=ID': id,
  '<ID': id,
  '<=ID': id,
  EMAIL: z.string().trim().toLowerCase(),
  '=EMAIL': z.string().trim().toLowerCase(),
  ACTIVE: restBoolean,
  '=ACTIVE': restBoolean,
} as const;

export const UserGetFilterSchema = z
  .object(
    Object.fromEntries(Object.entries(FILTER_KEYS).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof FILTER_KEYS]: z.ZodOptional<(typeof FILTER_KEYS)[K]>;
    },
  )
  .strict()
  .transform((f) => ({
    ids: f.ID ?? f['=ID'] ?? f['@ID'],
    notIds: f['!ID'] ?? f['!=ID'] ?? f['!@ID'],
    idAbove: f['>ID'] !== undefined ? f['>ID'] : f['>=ID'] !== undefined ? f['>=ID'] - 1 : undefined,
    idBelow: f['<ID'] !== undefined ? f['<ID'] : idBelowOrEqual(f['<=ID']),
    email: f.EMAIL ?? f['=EMAIL'],
    active: f.ACTIVE ?? f['=ACTIVE'],
  }));

/** `<=ID`: below the next id; every id is at most {@link REST_INT_MAX}, so at the top there is no bound. */
function idBelowOrEqual(id: number | undefined): number | undefined {
  return id === undefined || id >= REST_INT_MAX ? undefined : id + 1;
}

export type UserGetFilter = z.output<typeof UserGetFilterSchema>;

/**
 * The order of `user.get`: `sort=ID&order=DESC` as the docs write it, or `order: {ID: 'DESC'}`
 * as the official SDK's list helper sends it. Only the ID order is offered; ascending by default.
 */
export function userGetOrder(sort: unknown, order: unknown): 'asc' | 'desc' | null {
  const pair: [unknown, unknown] =
    typeof order === 'object' && order !== null && !Array.isArray(order)
      ? ((Object.entries(order)[0] ?? ['ID', 'ASC']) as [unknown, unknown])
      : [sort ?? 'ID', order ?? 'ASC'];
  const [field, direction] = pair;
  if (typeof field !== 'string' || typeof direction !== 'string') return null;
  if (field.toUpperCase() !== 'ID' || !/^(asc|desc)$/i.test(direction)) return null;
  return direction.toLowerCase() as 'asc' | 'desc';
}

/** `start` of `user.get`: -1 asks for no total count (docs: "How to Speed Up List Retrieval"). */
export const UserGetStartSchema = restInt.min(-1).default(0);

export const UserSelectSchema = restList(z.string()).optional();

import type { LoginIdentifier } from '@portaldesk/protocol';
import type { Queryable } from '../storage/database.ts';
import type { User } from './user.ts';

interface UserRow {
  id: number;
  portal_id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  username: string | null;
  active: boolean;
  is_admin: boolean;
  photo_key?: string | null;
  created_at: Date;
}

const COLUMNS = 'id, portal_id, first_name, last_name, email, phone, username, active, is_admin, created_at, photo_key';

const toUser = (r: UserRow): User => ({
  id: r.id,
  portalId: r.portal_id,
  firstName: r.first_name,
  lastName: r.last_name,
  email: r.email,
  phone: r.phone,
  username: r.username,
  active: r.active,
  isAdmin: r.is_admin,
  createdAt: new Date(r.created_at),
  photoKey: r.photo_key ?? null,
});

export interface NewUser {
  firstName: string;
  lastName: string;
  /** Already normalised (lower case). */
  email?: string | null;
  /** Already normalised (E.164). */
  phone?: string | null;
  username?: string | null;
  isAdmin?: boolean;
}

export interface UserFilter {
  ids?: number[] | undefined;
  notIds?: number[] | undefined;
  /** Only ids strictly greater than this (how list clients page by cursor). */
  idAbove?: number | undefined;
  /** Only ids strictly less than this. */
  idBelow?: number | undefined;
  email?: string | undefined;
  active?: boolean | undefined;
}

export interface UserPage {
  offset: number;
  limit: number;
  descending?: boolean;
  /** Skip counting all matches (`total` is then null): cheaper for cursor paging. */
  withoutTotal?: boolean;
}

/** Users of one portal: every query is scoped by the portal, so tenants cannot meet. */
export class UserStore {
  constructor(private readonly db: Queryable) {}

  async create(portalId: number, input: NewUser): Promise<User> {
    const [row] = await this.db.query<UserRow>(
      `INSERT INTO users (portal_id, first_name, last_name, email, phone, username, is_admin)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        portalId,
        input.firstName,
        input.lastName,
        input.email ?? null,
        input.phone ?? null,
        input.username?.toLowerCase() ?? null,
        input.isAdmin ?? false,
      ],
    );
    return toUser(row as UserRow);
  }

  async findById(portalId: number, id: number): Promise<User | null> {
    const [row] = await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE portal_id = $1 AND id = $2`, [
      portalId,
      id,
    ]);
    return row ? toUser(row) : null;
  }

  async findByLogin(portalId: number, login: LoginIdentifier): Promise<User | null> {
    const column = login.kind === 'email' ? 'email' : login.kind === 'phone' ? 'phone' : 'username';
    const [row] = await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE portal_id = $1 AND ${column} = $2`, [
      portalId,
      login.value,
    ]);
    return row ? toUser(row) : null;
  }

  /** Users matching `filter`, ordered by id, a page at a time; `total` counts all matches. */
  async list(portalId: number, filter: UserFilter, page: UserPage) {
    const where = ['portal_id = $1'];
    const params: unknown[] = [portalId];
    const add = (condition: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (filter.ids) add((p) => `id = ANY(${p}::int[])`, filter.ids);
    if (filter.notIds) add((p) => `NOT (id = ANY(${p}::int[]))`, filter.notIds);
    if (filter.idAbove !== undefined) add((p) => `id > ${p}`, filter.idAbove);
    if (filter.idBelow !== undefined) add((p) => `id < ${p}`, filter.idBelow);
    if (filter.email !== undefined) {
      params.push(filter.email);
      where.push(`email = $${params.length}`);
    }
    if (filter.active !== undefined) {
      params.push(filter.active);
      where.push(`active = $${params.length}`);
    }
    const clause = where.join(' AND ');
    // The page is a parameter: one prepared statement serves every page.
    const rows = await this.db.query<UserRow>(
      `SELECT ${COLUMNS} FROM users WHERE ${clause} ORDER BY id ${page.descending ? 'DESC' : 'ASC'}
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, Math.trunc(page.limit), Math.trunc(page.offset)],
    );
    if (page.withoutTotal) return { users: rows.map(toUser), total: null };
    const [count] = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE ${clause}`, params);
    return { users: rows.map(toUser), total: count?.n ?? 0 };
  }

  async setActive(portalId: number, id: number, active: boolean): Promise<boolean> {
    const rows = await this.db.query('UPDATE users SET active = $3 WHERE portal_id = $1 AND id = $2 RETURNING id', [
      portalId,
      id,
      active,
    ]);
    return rows.length > 0;
  }

  async setPasswordHash(portalId: number, id: number, hash: string): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE users SET password_hash = $3 WHERE portal_id = $1 AND id = $2 RETURNING id',
      [portalId, id, hash],
    );
    return rows.length > 0;
  }

  async passwordHash(portalId: number, id: number): Promise<string | null> {
    const [row] = await this.db.query<{ password_hash: string | null }>(
      'SELECT password_hash FROM users WHERE portal_id = $1 AND id = $2',
      [portalId, id],
    );
    return row?.password_hash ?? null;
  }
}

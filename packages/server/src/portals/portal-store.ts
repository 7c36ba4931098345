import { randomBytes } from 'node:crypto';
import type { Queryable } from '../storage/database.ts';
import type { Portal } from './portal.ts';

interface PortalRow {
  id: number;
  domain: string;
  name: string;
  default_country: string;
  member_id: string;
}

const toPortal = (r: PortalRow): Portal => ({
  id: r.id,
  domain: r.domain,
  name: r.name,
  defaultCountry: r.default_country.trim(),
  memberId: r.member_id,
});

export class PortalStore {
  constructor(private readonly db: Queryable) {}

  async create(input: { domain: string; name: string; defaultCountry?: string }): Promise<Portal> {
    const [row] = await this.db.query<PortalRow>(
      `INSERT INTO portals (domain, name, default_country, member_id) VALUES ($1, $2, $3, $4) RETURNING *`,
      [
        input.domain.toLowerCase(),
        input.name,
        (input.defaultCountry ?? 'US').toUpperCase(),
        randomBytes(16).toString('hex'),
      ],
    );
    return toPortal(row as PortalRow);
  }

  async findByDomain(domain: string): Promise<Portal | null> {
    const [row] = await this.db.query<PortalRow>('SELECT * FROM portals WHERE domain = $1', [domain.toLowerCase()]);
    return row ? toPortal(row) : null;
  }

  async findById(id: number): Promise<Portal | null> {
    const [row] = await this.db.query<PortalRow>('SELECT * FROM portals WHERE id = $1', [id]);
    return row ? toPortal(row) : null;
  }

  async list(): Promise<Portal[]> {
    return (await this.db.query<PortalRow>('SELECT * FROM portals ORDER BY id')).map(toPortal);
  }
}

import { PORTAL_SESSION_STORAGE_KEY } from '@portaldesk/protocol';
import { z } from 'zod';

/** Who is signed in on this tab, and the CSRF token their session calls carry. */
export interface PortalSession {
  userId: number;
  /** `bitrixSessionId` from sign-in; sent as `sessid` in REST bodies, never in a URL. */
  sessid: string;
}

const PortalSessionSchema = z.object({ userId: z.number().int().positive(), sessid: z.string().min(1) });
const STORAGE_KEY = PORTAL_SESSION_STORAGE_KEY;

/**
 * Kept in `sessionStorage`: it survives a reload of the tab but not the tab itself, and other
 * tabs and origins cannot read it. The session cookie itself is HttpOnly and not ours to keep.
 */
export class SessionStore {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null) {}

  load(): PortalSession | null {
    const raw = this.storage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    try {
      const parsed = PortalSessionSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  save(session: PortalSession): void {
    this.storage?.setItem(STORAGE_KEY, JSON.stringify(session));
  }

  clear(): void {
    this.storage?.removeItem(STORAGE_KEY);
  }
}

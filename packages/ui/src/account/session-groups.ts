import type { ActiveSessionInfo } from '@portaldesk/protocol';
import { deviceLabel } from './device-label.ts';

/** One line of the sessions list: a session, or several of one desktop shown as one. */
export interface SessionGroup {
  /** The newest session of the group: what the line shows. */
  session: ActiveSessionInfo;
  label: string;
  /** Every session of the group; Revoke ends them all. */
  ids: string[];
}

/**
 * The desktop app opens a new session each time it starts (its application password signs it
 * in again), so one computer piles up sessions that look alike. The sessions of one desktop —
 * the same kind of client at the same address — are one line; this device and the session the
 * person was sent to review always stand alone. Sessions come newest first.
 */
export function sessionGroups(sessions: readonly ActiveSessionInfo[], keepApart: string | null = null): SessionGroup[] {
  const groups: SessionGroup[] = [];
  const byDesktop = new Map<string, SessionGroup>();
  for (const session of sessions) {
    const label = deviceLabel(session.userAgent, session.method);
    const alone = session.current || session.id === keepApart || session.method !== 'app_password';
    const key = `${label}\u241f${session.ip ?? ''}`;
    const same = alone ? undefined : byDesktop.get(key);
    if (same) {
      same.ids.push(session.id);
      continue;
    }
    const group = { session, label, ids: [session.id] };
    groups.push(group);
    if (!alone) byDesktop.set(key, group);
  }
  return groups;
}

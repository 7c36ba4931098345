import { SYSTEM_AUTHOR_ID } from '../api/messenger-schemas.ts';

/**
 * Runs of messages: a colleague's quick follow-ups read as one turn, so the name is shown once,
 * above the first, as Bitrix24, Slack and Mattermost do. A pause longer than the gap, another
 * author or a system note in between starts a new run (and the name again).
 */

/** Longer than this between two messages of one author, and the second starts a new run. */
export const RUN_GAP_MS = 5 * 60_000;

interface RunMessage {
  author_id: number;
  date: string;
}

/** True when `message` continues the run of `previous`, the message just above it. */
export function continuesRun(previous: RunMessage | undefined, message: RunMessage): boolean {
  if (!previous || message.author_id === SYSTEM_AUTHOR_ID || previous.author_id !== message.author_id) return false;
  const gap = Date.parse(message.date) - Date.parse(previous.date);
  // An undated message, or one dated before the one above (clock skew), starts its own run.
  return gap >= 0 && gap <= RUN_GAP_MS;
}

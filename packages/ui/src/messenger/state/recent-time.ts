import { daysAgo } from './day-separators.ts';

/** Within this many days back, a weekday names the day well enough ("Mon"). */
const WEEKDAY_WITHIN_DAYS = 6;

/**
 * When a chat last moved, as its row in the chat list says it: the time today, "Yesterday", a
 * weekday within the week, then a short date. Local time, as the reader lives it.
 */
export function recentTime(iso: string, now: Date, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const days = daysAgo(date, now);
  if (days === 0) return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (days === 1) return 'Yesterday';
  if (days > 1 && days <= WEEKDAY_WITHIN_DAYS) return date.toLocaleDateString(locale, { weekday: 'short' });
  return date.getFullYear() === now.getFullYear()
    ? date.toLocaleDateString(locale, { month: 'short', day: 'numeric' })
    : date.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

import { dayKey } from './day-separators.ts';

/** Within this many days back, a weekday names the day well enough ("Mon"). */
const WEEKDAY_WITHIN_DAYS = 6;

/**
 * When a chat last moved, as its row in the chat list says it: the time today, "Yesterday", a
 * weekday within the week, then a short date. Local time, as the reader lives it.
 */
export function recentTime(iso: string, now: Date, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  if (dayKey(iso) === dayKey(now.toISOString())) {
    return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  }
  const days = daysBetween(date, now);
  if (days === 1) return 'Yesterday';
  if (days > 1 && days <= WEEKDAY_WITHIN_DAYS) return date.toLocaleDateString(locale, { weekday: 'short' });
  return date.getFullYear() === now.getFullYear()
    ? date.toLocaleDateString(locale, { month: 'short', day: 'numeric' })
    : date.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Whole local calendar days from `earlier` to `later` (daylight-saving days count as one). */
function daysBetween(earlier: Date, later: Date): number {
  const midnight = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
  return Math.round((midnight(later) - midnight(earlier)) / 86_400_000);
}

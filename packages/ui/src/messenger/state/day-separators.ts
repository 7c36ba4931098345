/**
 * Day headings in a history: times alone ("10:04") do not say which day a message is from once a
 * conversation spans several. Local time, as the reader lives it.
 */

/** The local calendar day of an ISO date, or null when it does not parse. */
export function dayKey(iso: string): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/** Messages in runs of one local day each, in their order; a message with no valid date joins the run before. */
export function groupByDay<M extends { date: string }>(messages: readonly M[]): { key: string; messages: M[] }[] {
  const days: { key: string; messages: M[] }[] = [];
  for (const message of messages) {
    const key = dayKey(message.date);
    const last = days.at(-1);
    if (last && (key === null || key === last.key)) last.messages.push(message);
    else days.push({ key: key ?? 'unknown', messages: [message] });
  }
  return days;
}

/** Whole local calendar days from `date` to `now`: 0 today, 1 yesterday (a daylight-saving day counts as one). */
export function daysAgo(date: Date, now: Date): number {
  const midnight = (day: Date) => new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime();
  return Math.round((midnight(now) - midnight(date)) / 86_400_000);
}

/** "Today", "Yesterday", "Monday, March 3" this year, "March 3, 2025" before. */
export function dayLabel(iso: string, now: Date, locale?: string): string {
  const date = new Date(iso);
  const days = daysAgo(date, now);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return date.getFullYear() === now.getFullYear()
    ? date.toLocaleDateString(locale, { weekday: 'long', month: 'long', day: 'numeric' })
    : date.toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric' });
}

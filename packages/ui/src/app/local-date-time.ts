/** A date and time from the API (ISO 8601) in the reader's locale and zone; '' when unreadable. */
export function shortDateTime(iso: string): string {
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? '' : parsed.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

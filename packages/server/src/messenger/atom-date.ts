/** A date in PHP's ATOM form, as Bitrix24 writes dates: `2026-03-04T09:43:26+00:00`. */
export function atomDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

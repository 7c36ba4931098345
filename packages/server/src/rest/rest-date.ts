/** A moment as Bitrix24 REST writes it: ISO 8601 to the second with the offset, `+00:00`. */
export function restDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

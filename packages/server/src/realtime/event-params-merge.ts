/**
 * An event's params for one recipient: the part shared by every recipient with that recipient's
 * own part laid over it. Nested objects merge one level deep, so a recipient's part can change
 * one field of `message` (`{ message: { recipientId } }`) without repeating the rest.
 */
export function mergeEventParams(
  shared: Record<string, unknown>,
  own: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...shared };
  for (const [key, value] of Object.entries(own)) {
    const base = shared[key];
    merged[key] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

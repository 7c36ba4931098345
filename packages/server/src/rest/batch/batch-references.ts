/**
 * `$result[key][field][0]…` inside a batch command names a value from an earlier command's
 * result. A value that is exactly one reference becomes the referenced value (an array stays an
 * array); a reference inside longer text is written into it.
 */
const REFERENCE = /\$result((?:\[[^\][]*\])+)/g;
const WHOLE_REFERENCE = /^\$result((?:\[[^\][]*\])+)$/;

export class UnresolvedReferenceError extends Error {
  readonly code = 'INVALID_ARG_VALUE';
  constructor(readonly reference: string) {
    super(`${reference} names no earlier result`);
  }
}

export function resolveReferences(value: unknown, results: ReadonlyMap<string, unknown>): unknown {
  if (typeof value === 'string') return resolveString(value, results);
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, results));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, results)]));
  }
  return value;
}

function resolveString(text: string, results: ReadonlyMap<string, unknown>): unknown {
  if (!text.includes('$result[')) return text;
  const whole = WHOLE_REFERENCE.exec(text);
  if (whole) return lookup(text, whole[1] as string, results);
  return text.replace(REFERENCE, (reference, path: string) => {
    const found = lookup(reference, path, results);
    return typeof found === 'object' && found !== null ? JSON.stringify(found) : String(found);
  });
}

function lookup(reference: string, path: string, results: ReadonlyMap<string, unknown>): unknown {
  const [key, ...fields] = [...path.matchAll(/\[([^\][]*)\]/g)].map((m) => m[1] as string);
  if (key === undefined || !results.has(key)) throw new UnresolvedReferenceError(reference);
  let current: unknown = results.get(key);
  for (const field of fields) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, field)) {
      throw new UnresolvedReferenceError(reference);
    }
    current = (current as Record<string, unknown>)[field];
  }
  if (current === undefined || current === null) throw new UnresolvedReferenceError(reference);
  return current;
}

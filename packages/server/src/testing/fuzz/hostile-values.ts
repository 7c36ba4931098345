import fc from 'fast-check';

/**
 * Requests no well-behaved client sends, for property-based tests of the server's edges: a
 * plausible request with one or two fields replaced by numbers beyond the integer types, text
 * with NUL or a lone surrogate, long or numeric-looking text, arrays where a scalar is expected,
 * nesting far deeper than any documented shape, PHP-bracket and prototype keys.
 */

/** Nesting as deep as `depth`, written into a JSON body as text: too deep for `JSON.stringify` itself. */
export class DeepNesting {
  constructor(
    readonly depth: number,
    readonly kind: 'array' | 'object',
  ) {}

  toJson(): string {
    return this.kind === 'array'
      ? `${'['.repeat(this.depth)}1${']'.repeat(this.depth)}`
      : `${'{"BLOCKS":'.repeat(this.depth)}1${'}'.repeat(this.depth)}`;
  }

  toString(): string {
    return `DeepNesting(${this.depth}, ${this.kind})`;
  }
}

const NUMBERS_AT_EDGES = [0, -1, 2_147_483_647, 2_147_483_648, -2_147_483_649, 2 ** 53 + 1, 1e21, 1e308, 0.5, -0];

const AWKWARD_TEXT = [
  '',
  ' ',
  '😀',
  '%00',
  '%ED%A0%80',
  '\r\n',
  'null',
  '1e400',
  '0x10',
  ' 12 ',
  'NaN',
  '9'.repeat(400),
  'chat0',
  'chat2147483648',
  'chat-1',
  '$result[nothing][ID]',
  'user.get?FILTER[ID]=99999999999',
  'im.message.add?DIALOG_ID=1&MESSAGE=a%00b',
  `im.message.add?DIALOG_ID=1&MESSAGE=x&ATTACH=${encodeURIComponent('['.repeat(6000) + ']'.repeat(6000))}`,
  "' OR 1=1 --",
  '<img src=x onerror=alert(1)>',
  '../../../etc/passwd',
  '{"a":',
  `[${'['.repeat(6000)}`,
  `${'['.repeat(6000)}${']'.repeat(6000)}`,
];

/** Integers a 32-bit column cannot hold, up to the largest JavaScript keeps exact. */
const beyondInt32: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -(2 ** 31) - 1 }),
);

/** Ordinary text with a NUL or a lone surrogate in it: PostgreSQL can store neither. */
const poisonedText: fc.Arbitrary<string> = fc
  .tuple(
    fc.string({ maxLength: 6 }),
    fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00'),
    fc.string({ maxLength: 6 }),
  )
  .map((parts) => parts.join(''));

/** Text of every kind, the kinds that broke servers before weighted up. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: poisonedText, weight: 4 },
  { arbitrary: beyondInt32.map(String), weight: 3 },
  { arbitrary: fc.constantFrom(...AWKWARD_TEXT), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 1 },
  { arbitrary: fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
);

/** Text that can travel in an HTTP header (printable ASCII: no control characters). */
export const headerText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
  fc.constantFrom('', 'Bearer', 'Bearer ', `Bearer ${'A'.repeat(43)}`, `Bearer ${'x'.repeat(5000)}`),
);

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileText, weight: 6 },
  { arbitrary: beyondInt32, weight: 3 },
  { arbitrary: fc.constantFrom(...NUMBERS_AT_EDGES), weight: 1 },
  { arbitrary: fc.oneof(fc.double(), fc.boolean(), fc.constant(null)), weight: 1 },
);

/** Keys as PHP reads them from forms, and names that mean something to JavaScript objects. */
const awkwardKey = fc.constantFrom(
  'FILTER[ID]',
  'FILTER[>ID]',
  'a[b][c][d][e][f][g]',
  'USERS[]',
  'x[',
  '[]',
  '__proto__',
  'constructor',
  'toString',
  '',
  'a\u0000',
  '\ud800',
);

/** What a well-behaved client sends: small ids (as numbers and as text), a group chat, short text, flags. */
const plausibleScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 1, max: 3 }),
  fc.integer({ min: 1, max: 3 }).map(String),
  fc.constantFrom('chat1', 'hello', 'Y', 'N', 'ASC', 'user', 'server.time'),
);

/** Keys found inside nested parameters: filters, blocks, orders. */
const nestedKey = fc.oneof(
  { arbitrary: fc.constantFrom('ID', '>ID', '<=ID', '!ID', 'EMAIL', 'ACTIVE', 'BLOCKS', 'MESSAGE'), weight: 4 },
  { arbitrary: awkwardKey, weight: 1 },
);

/** A plausible value: a small id, a short text or flag, or a small filter-like object or list of them. */
const plausibleValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: plausibleScalar, weight: 4 },
  { arbitrary: fc.dictionary(nestedKey, plausibleScalar, { minKeys: 1, maxKeys: 2 }), weight: 1 },
  { arbitrary: fc.array(plausibleScalar, { minLength: 1, maxLength: 3 }), weight: 1 },
);

/** A value of the kind a parameter's name suggests, as Bitrix24 clients name them. */
function plausibleFor(name: string): fc.Arbitrary<unknown> {
  const upper = name.toUpperCase();
  if (upper === 'DIALOG_ID') return fc.constantFrom(1, 2, '2', 'chat1');
  if (upper === 'ID' || upper.endsWith('_ID')) return fc.constantFrom(1, 2, '2');
  if (upper === 'USERS') return fc.constantFrom([2], ['1', '2']);
  if (['ATTACH', 'KEYBOARD', 'MENU'].includes(upper)) return fc.constant([{ MESSAGE: 'block' }]);
  if (['MESSAGE', 'TEXT', 'TITLE', 'DESCRIPTION', 'NAME', 'TAG'].includes(upper))
    return fc.constantFrom('hello', '[b]hi[/b]');
  if (['LIMIT', 'OFFSET', 'START'].includes(upper)) return fc.constantFrom(0, 10, '20');
  if (upper === 'FILTER') return fc.constantFrom({ ID: 1 }, { '>ID': 0 }, { ACTIVE: 'Y' });
  return plausibleValue;
}

/** A hostile value where a scalar, a list or a filter object is expected. */
const shallowHostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileScalar, weight: 6 },
  { arbitrary: fc.array(hostileScalar, { minLength: 1, maxLength: 3 }), weight: 1 },
  { arbitrary: fc.dictionary(nestedKey, hostileScalar, { minKeys: 1, maxKeys: 2 }), weight: 2 },
);

/** From just past the server's limit of 32 levels to far beyond what a recursive walk survives. */
const deepValue: fc.Arbitrary<DeepNesting> = fc
  .tuple(fc.integer({ min: 33, max: 20_000 }), fc.constantFrom<'array' | 'object'>('array', 'object'))
  .map(([depth, kind]) => new DeepNesting(depth, kind));

/** Deep nesting only where it can be sent: in a JSON body. */
function hostileValue(options: { deep: boolean }): fc.Arbitrary<unknown> {
  return options.deep
    ? fc.oneof({ arbitrary: shallowHostileValue, weight: 6 }, { arbitrary: deepValue, weight: 1 })
    : shallowHostileValue;
}

/**
 * A request a client could have sent, with one or two of its fields (or others) replaced by
 * hostile values: most requests pass the first checks, so each hostile value travels as far
 * into the server as it can. `otherNames` are names worth trying besides the request's own.
 */
export function withHostileFields(
  fields: Record<string, fc.Arbitrary<unknown>>,
  options: { deep: boolean },
  otherNames: readonly string[] = [],
): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(fields);
  const otherName = fc.oneof(awkwardKey, fc.string({ maxLength: 10 }), ...otherNames.map((n) => fc.constant(n)));
  const name =
    names.length === 0
      ? otherName
      : fc.oneof({ arbitrary: fc.constantFrom(...names), weight: 4 }, { arbitrary: otherName, weight: 1 });
  const replaced = fc.dictionary(name, hostileValue(options), { minKeys: 1, maxKeys: 2 });
  return fc.tuple(fc.record(fields), replaced).map(([plausible, hostile]) => {
    const request: Record<string, unknown> = { ...hostile };
    for (const [key, value] of Object.entries(plausible))
      if (value !== undefined && !(key in hostile)) request[key] = value;
    return request;
  });
}

/**
 * {@link withHostileFields} for a REST method: each of the parameters its schema names, most of
 * them present with plausible values; the common Bitrix24 names are tried as well.
 */
export function hostileParams(
  ownNames: readonly string[],
  options: { deep: boolean },
  commonNames: readonly string[] = [],
): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(
    ownNames.map((name) => [name, fc.option(plausibleFor(name), { nil: undefined, freq: 2 })]),
  );
  return withHostileFields(fields, options, commonNames);
}

/** A JSON body, deep nesting written in as text. */
export function jsonBody(value: unknown): string {
  const deep: DeepNesting[] = [];
  const text = JSON.stringify(value, (_key, inner: unknown) => {
    if (!(inner instanceof DeepNesting)) return inner;
    deep.push(inner);
    return `\u0001deep${deep.length - 1}\u0001`;
  });
  return text.replace(/"\\u0001deep(\d+)\\u0001"/g, (_match, index: string) => deep[Number(index)]?.toJson() ?? 'null');
}

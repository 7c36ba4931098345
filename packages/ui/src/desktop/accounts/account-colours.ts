/** Monogram colours (Bitrix24's avatar palette), white text readable on each. */
const PALETTE = [
  '#2fc6f6',
  '#55d0e0',
  '#9dcf00',
  '#ffa900',
  '#f7a700',
  '#ff5752',
  '#8e52ec',
  '#5b6fdc',
  '#1eae43',
  '#e89b06',
];

/**
 * A colour per account for its monogram, so two accounts of one person ("CD" and "CD") differ at
 * a glance. Each keeps the colour its id hashes to unless an earlier account in the list holds it;
 * then it takes the next free one, so the listed accounts never share a colour (up to ten).
 */
export function accountColours(accountIds: readonly string[]): Map<string, string> {
  const taken = new Set<number>();
  const colours = new Map<string, string>();
  for (const id of accountIds) {
    let slot = hash(id) % PALETTE.length;
    for (let tries = 0; tries < PALETTE.length && taken.has(slot); tries++) slot = (slot + 1) % PALETTE.length;
    taken.add(slot);
    colours.set(id, PALETTE[slot]!);
  }
  return colours;
}

function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) >>> 0;
  return value;
}

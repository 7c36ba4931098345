/** User ids mentioned with `[USER=ID]name[/USER]` (or `[USER=ID REPLACE]…`), in order, once each. */
export function mentionedUserIds(text: string): number[] {
  const ids = new Set<number>();
  for (const match of text.matchAll(/\[USER=(\d{1,10})(?:\s+REPLACE)?\]/gi)) ids.add(Number(match[1]));
  return [...ids];
}

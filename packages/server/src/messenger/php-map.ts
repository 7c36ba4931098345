/** PHP serialises an empty associative array as `[]`; Bitrix24 clients are used to exactly that. */
export function phpMap<V>(map: Record<string, V>): Record<string, V> | [] {
  return Object.keys(map).length === 0 ? [] : map;
}

/**
 * A map of lists (key → the values listed under it), the shape every inverted index here builds:
 * `pushAt` appends a value under a key, starting the key's list when it has none.
 */
export function pushAt<K, V>(map: Map<K, V[]>, key: K, v: V): void {
  const l = map.get(key);
  if (l) l.push(v);
  else map.set(key, [v]);
}

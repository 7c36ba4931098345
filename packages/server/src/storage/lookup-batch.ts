import DataLoader from 'dataloader';

/**
 * Answers the lookups that arrive together with one query: `loadMany` gets every key asked for
 * since the event loop last took in new requests (at most `maxBatch`) and answers them in order.
 * Batches start on `setImmediate`, after the requests that arrived at once have all asked; a
 * lookup started at once would go alone.
 * Nothing is cached: each call reads what is stored now.
 */
export function lookupBatch<Key, Value>(
  loadMany: (keys: readonly Key[]) => Promise<Value[]>,
  maxBatch: number,
): (key: Key) => Promise<Value> {
  const loader = new DataLoader<Key, Value>(loadMany, {
    cache: false,
    maxBatchSize: maxBatch,
    batchScheduleFn: (run) => setImmediate(run),
  });
  return (key) => loader.load(key);
}

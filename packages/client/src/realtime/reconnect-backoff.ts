/**
 * Waits before reconnecting after each failure in a row; the last one repeats. The official
 * client waits 100 ms, 15 s, 45 s, 10 min, 1 h; a desktop back from sleep or a page back online
 * should catch up sooner, so the waits grow more slowly and stop at a minute.
 */
export const DEFAULT_RECONNECT_BACKOFF_MS: readonly number[] = [100, 1_000, 3_000, 10_000, 30_000, 60_000];

/** ± this share of each wait is random, so that clients dropped together do not return together. */
export const DEFAULT_RECONNECT_JITTER = 0.2;

/** The wait before the reconnect that follows `failures` failures in a row. */
export function reconnectDelay(
  failures: number,
  schedule: readonly number[],
  jitter: number,
  random: () => number,
): number {
  const base = schedule[Math.min(failures, schedule.length - 1)] ?? 1_000;
  return Math.max(0, Math.round(base * (1 + jitter * (random() * 2 - 1))));
}

/**
 * Time as the realtime session sees it: passed in, so that tests drive the waits and the
 * keepalive without sleeping, and the desktop's timers do not keep its process alive.
 */
export interface SessionClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** In [0, 1): the jitter of the reconnect waits. */
  random(): number;
}

/** The platform's timers; in Node they do not hold the process open. */
export const systemClock: SessionClock = {
  now: () => Date.now(),
  setTimeout(run, ms) {
    const handle = globalThis.setTimeout(run, ms) as unknown as { unref?: () => void };
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
  random: () => Math.random(),
};

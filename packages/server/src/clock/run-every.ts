/**
 * Runs `work` every `everyMs` until the returned function is called. A run is skipped while the
 * previous one is still going; a failed run goes to `onError` and is tried again next time. The
 * timer does not hold the process open.
 */
export function runEvery(everyMs: number, work: () => Promise<unknown>, onError: (error: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    work()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

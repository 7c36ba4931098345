/**
 * Tells this process's open event streams that an attempt changed, so the desktop hears of a
 * scan or an approval at once. Changes made by another process reach its streams by their
 * periodic re-read of the attempt (see `qr-sign-in-routes.ts`).
 */
export class QrAttemptSignals {
  private readonly listeners = new Map<string, Set<() => void>>();

  subscribe(attemptId: string, listener: () => void): () => void {
    let set = this.listeners.get(attemptId);
    if (!set) {
      set = new Set();
      this.listeners.set(attemptId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(attemptId);
    };
  }

  /** How many of this process's streams still follow the attempt. */
  followers(attemptId: string): number {
    return this.listeners.get(attemptId)?.size ?? 0;
  }

  changed(attemptId: string): void {
    for (const listener of this.listeners.get(attemptId) ?? []) listener();
  }
}

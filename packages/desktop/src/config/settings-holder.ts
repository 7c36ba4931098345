import type { Settings } from './settings.ts';
import type { SettingsStore } from './settings-store.ts';

/** Told of the settings after each saved change. */
export type SettingsListener = (settings: Settings, previous: Settings) => void;

/**
 * The settings in memory, changed one change at a time and saved after each. Whoever shows
 * something from them (the tray, the chat window's feed) subscribes, so no caller of `update` has
 * to remember to announce a change.
 */
export class SettingsHolder {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<SettingsListener>();

  constructor(
    private current: Settings,
    private readonly store: SettingsStore,
    private readonly log?: (message: string, fields?: Record<string, unknown>) => void,
  ) {}

  get(): Settings {
    return this.current;
  }

  /** Listeners run after the change is saved and before `update` resolves; returns the unsubscribe. */
  subscribe(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  update(change: (settings: Settings) => Settings): Promise<Settings> {
    const next = this.queue.then(async () => {
      const previous = this.current;
      const changed = change(structuredClone(previous));
      await this.store.save(changed);
      this.current = changed;
      this.announce(changed, previous);
      return changed;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A listener that throws must not undo a saved change nor keep the others from hearing of it. */
  private announce(settings: Settings, previous: Settings): void {
    for (const listener of this.listeners) {
      try {
        listener(settings, previous);
      } catch (error) {
        this.log?.('settings listener failed', { message: String(error) });
      }
    }
  }
}

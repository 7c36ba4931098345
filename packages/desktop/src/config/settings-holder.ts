import type { Settings } from './settings.ts';
import type { SettingsStore } from './settings-store.ts';

/** The settings in memory, changed one change at a time and saved after each. */
export class SettingsHolder {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private current: Settings,
    private readonly store: SettingsStore,
  ) {}

  get(): Settings {
    return this.current;
  }

  update(change: (settings: Settings) => Settings): Promise<Settings> {
    const next = this.queue.then(async () => {
      const changed = change(structuredClone(this.current));
      await this.store.save(changed);
      this.current = changed;
      return changed;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

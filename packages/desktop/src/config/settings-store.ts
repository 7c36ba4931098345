import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { defaultSettings, SETTINGS_VERSION, type Settings, settingsSchema } from './settings.ts';
import { migrateSettings, type SettingsMigration, settingsMigrations } from './settings-migrations.ts';

export interface SettingsWarning {
  code: 'SETTINGS_CORRUPT' | 'SETTINGS_FROM_NEWER_VERSION';
  message: string;
  /** Where the unreadable file was moved, so nothing the user had is destroyed. */
  keptAt: string;
}

export interface LoadedSettings {
  settings: Settings;
  warning?: SettingsWarning;
}

export interface SettingsStoreOptions {
  path: string;
  migrations?: SettingsMigration[];
  now?: () => Date;
}

/** The one settings file: read (migrating old versions), validated, written atomically. */
export class SettingsStore {
  private readonly path: string;
  private readonly migrations: SettingsMigration[];
  private readonly now: () => Date;

  constructor(options: SettingsStoreOptions) {
    this.path = options.path;
    this.migrations = options.migrations ?? settingsMigrations;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Never throws for bad content: a file that cannot be read as settings is moved aside and
   * defaults are used, with a warning the UI shows. Only I/O failures (a disk error) throw.
   */
  async load(): Promise<LoadedSettings> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: defaultSettings() };
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.keepAside('SETTINGS_CORRUPT', 'The settings file was damaged and has been reset.');
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return this.keepAside('SETTINGS_CORRUPT', 'The settings file was damaged and has been reset.');
    }
    const version = (raw as { version?: unknown }).version;
    if (typeof version === 'number' && version > SETTINGS_VERSION) {
      return this.keepAside(
        'SETTINGS_FROM_NEWER_VERSION',
        'The settings were written by a newer Portaldesk and have been reset for this version.',
      );
    }
    let migrated: Record<string, unknown>;
    try {
      migrated = migrateSettings(raw as Record<string, unknown>, SETTINGS_VERSION, this.migrations);
    } catch {
      return this.keepAside('SETTINGS_CORRUPT', 'The settings file could not be upgraded and has been reset.');
    }
    const parsed = settingsSchema.safeParse(migrated);
    if (!parsed.success) {
      return this.keepAside('SETTINGS_CORRUPT', 'The settings file was not valid and has been reset.');
    }
    if (version !== SETTINGS_VERSION) await this.save(parsed.data);
    return { settings: parsed.data };
  }

  async save(settings: Settings): Promise<void> {
    const valid = settingsSchema.parse(settings);
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.path, `${JSON.stringify(valid, null, 2)}\n`);
  }

  private async keepAside(code: SettingsWarning['code'], message: string): Promise<LoadedSettings> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    const keptAt = `${this.path}.${code === 'SETTINGS_CORRUPT' ? 'corrupt' : 'newer'}-${stamp}`;
    await rename(this.path, keptAt);
    const settings = defaultSettings();
    await this.save(settings);
    return { settings, warning: { code, message, keptAt } };
  }
}

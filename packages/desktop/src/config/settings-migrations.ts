/**
 * One step from version `from` to `from + 1`. Steps work on plain JSON: a migration must not
 * depend on today's schema, which will have moved on by the time an old file is read.
 */
export interface SettingsMigration {
  from: number;
  migrate(old: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Every step since version 1, in order (as mattermost/desktop keeps its config upgrades).
 */
export const settingsMigrations: SettingsMigration[] = [
  {
    // Version 2: per-account notification sound and message preview, both on as before.
    from: 1,
    migrate: (old) => ({
      ...old,
      accounts: Array.isArray(old.accounts)
        ? old.accounts.map((account: unknown) =>
            account && typeof account === 'object'
              ? { notifications: { sound: true, preview: true }, ...(account as Record<string, unknown>) }
              : account,
          )
        : old.accounts,
    }),
  },
];

export class SettingsMigrationError extends Error {
  readonly code = 'SETTINGS_MIGRATION_FAILED';
}

/** Runs the steps from the file's version up to `target`; a gap in the list is a bug, so it throws. */
export function migrateSettings(
  raw: Record<string, unknown>,
  target: number,
  migrations: SettingsMigration[] = settingsMigrations,
): Record<string, unknown> {
  let current = raw;
  let version = typeof raw.version === 'number' ? raw.version : 1;
  while (version < target) {
    const step = migrations.find((m) => m.from === version);
    if (!step) throw new SettingsMigrationError(`no settings migration from version ${version}`);
    current = { ...step.migrate(current), version: version + 1 };
    version += 1;
  }
  return current;
}

import { migrate } from '../storage/migrate.ts';
import { importPgliteData, PgliteImportError } from '../storage/pglite-import/import-pglite-data.ts';
import type { AdminCommand } from './admin-command.ts';
import { CommandFailedError } from './admin-errors.ts';

const importPglite: AdminCommand = {
  words: ['storage', 'import-pglite'],
  summary: "Move the earlier embedded engine's data (PORTALDESK_DATA/pglite) into the database",
  help: [],
  options: {},
  migratesItself: true,
  async run(_values, { db, dataDir, out }) {
    try {
      const summary = await importPgliteData(dataDir, db);
      const applied = await migrate(db);
      if (out.wantsJson) return out.json({ ...summary, migratedTo: applied.at(-1) ?? summary.version });
      const rows = summary.tables.reduce((n, t) => n + t.rows, 0);
      out.line(`Imported ${rows} rows in ${summary.tables.length} tables (data at migration ${summary.version}).`);
      out.line(`The old data is kept in ${summary.keptAt}; delete it once the server runs well.`);
    } catch (error) {
      if (error instanceof PgliteImportError) throw new CommandFailedError(error.code, error.message);
      throw error;
    }
  },
};

export const storageCommands: readonly AdminCommand[] = [importPglite];

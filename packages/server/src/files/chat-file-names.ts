import { extname } from 'node:path';
import type { Queryable } from '../storage/database.ts';
import { fileRefusal } from './file-refusal.ts';

const MAX_NAME_LENGTH = 255;

/** A file name as given, trimmed; refused when empty, too long, a path or with control characters. */
export function checkFileName(name: string): string {
  const clean = name.trim();
  const hasControl = [...clean].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (
    clean === '' ||
    clean.length > MAX_NAME_LENGTH ||
    /[\\/]/.test(clean) ||
    hasControl ||
    clean === '.' ||
    clean === '..'
  ) {
    throw fileRefusal('FILE_NAME_INVALID', `A file name needs 1 to ${MAX_NAME_LENGTH} characters and no slashes`);
  }
  return clean;
}

function stem(name: string): string {
  return name.slice(0, name.length - extname(name).length);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `name`, or `name (1).ext`, `name (2).ext`, … whichever no file of the folder has yet. */
export async function uniqueNameInFolder(db: Queryable, folderId: number, name: string): Promise<string> {
  const rows = await db.query<{ name: string }>(
    'SELECT name FROM disk_files WHERE folder_id = $1 AND deleted_at IS NULL AND name LIKE $2',
    [folderId, `${escapeLike(stem(name))}%`],
  );
  const taken = new Set(rows.map((r) => r.name));
  if (!taken.has(name)) return name;
  for (let n = 1; ; n += 1) {
    const candidate = `${stem(name)} (${n})${extname(name)}`;
    if (!taken.has(candidate)) return candidate;
  }
}

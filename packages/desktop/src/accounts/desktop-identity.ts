import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.ts';
import type { DesktopIdentity } from '../portal/desktop-sign-in.ts';

/**
 * This desktop as portals know it: a random mark made once per installation (not the host name,
 * which would tell the portal more than it needs) and the OS user's name. A portal binds the
 * application password it issues to both.
 */
export async function loadDesktopIdentity(markPath: string): Promise<DesktopIdentity> {
  let mark = await readFile(markPath, 'utf8').catch(() => '');
  if (!/^[0-9a-f]{32}$/.test(mark.trim())) {
    mark = randomBytes(16).toString('hex');
    await mkdir(dirname(markPath), { recursive: true, mode: 0o700 });
    await writeFileAtomic(markPath, mark, 0o600);
  }
  return { osMark: mark.trim(), osAccount: userInfo().username };
}

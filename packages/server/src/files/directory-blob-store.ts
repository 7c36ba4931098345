import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { type BlobStore, isSha256 } from './blob-store.ts';

/**
 * Bodies in a folder of this machine (`<data>/files/ab/cd/abcd…`), for one server process.
 * Bodies are moved in from the incoming folder on the same file system, so a body is either
 * whole under its name or absent.
 */
export class DirectoryBlobStore implements BlobStore {
  readonly incomingDir: string;

  constructor(private readonly root: string) {
    this.incomingDir = join(root, 'incoming');
  }

  async put(sha256: string, path: string): Promise<void> {
    const target = this.pathOf(sha256);
    if (await exists(target)) return;
    await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
    try {
      await rename(path, target);
    } catch (error) {
      // Another file system (a data folder spread over mounts): copy, then the caller removes its file.
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await copyFile(path, `${target}.part`);
      await rename(`${target}.part`, target);
    }
  }

  async read(sha256: string): Promise<Readable | null> {
    const path = this.pathOf(sha256);
    if (!(await exists(path))) return null;
    return createReadStream(path);
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  private pathOf(sha256: string): string {
    if (!isSha256(sha256)) throw new Error('not a SHA-256');
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Reads a photo by its address on an account's portal, with that account's session. */
export type PhotoReader = (accountId: string, address: string) => Promise<Uint8Array>;

/**
 * The senders' photos as files a notification can name as its icon (notification services take a
 * path, not bytes): fetched once per photo address as PNG (which every service shows), kept in
 * `dir`, readable by this user only. A photo's address changes with the photo, so a kept file is
 * never stale. Undefined when the photo cannot be had: the notification shows the app's icon.
 */
export class SenderPhotos {
  private readonly known = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly dir: string,
    private readonly read: PhotoReader,
  ) {}

  pathFor(accountId: string, address: string): Promise<string | undefined> {
    const key = `${accountId}\u241f${address}`;
    let path = this.known.get(key);
    if (!path) {
      path = this.fetch(accountId, address, key);
      this.known.set(key, path);
    }
    return path;
  }

  private async fetch(accountId: string, address: string, key: string): Promise<string | undefined> {
    try {
      const bytes = await this.read(accountId, `${address}.png`);
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const path = join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.png`);
      await writeFile(path, bytes, { mode: 0o600 });
      return path;
    } catch {
      // Asked again next time: the portal may have been unreachable for a moment.
      this.known.delete(key);
      return undefined;
    }
  }
}

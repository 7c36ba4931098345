import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.ts';
import { runEvery } from '../clock/run-every.ts';
import type { ChatFiles } from './chat-files.ts';

export interface ChatFileCleanupSettings {
  /** A file uploaded and not posted within this time is dropped. */
  uncommittedTtlMs: number;
  /** How often the clean-up runs. */
  everyMs: number;
}

export const DEFAULT_CHAT_FILE_CLEANUP: ChatFileCleanupSettings = {
  uncommittedTtlMs: 24 * 60 * 60 * 1000,
  everyMs: 10 * 60 * 1000,
};

/** Bodies still being received are never this old; older ones were left by a process that died. */
const INCOMING_LEFTOVER_MS = 60 * 60 * 1000;

/**
 * Removes what uploads leave behind: files uploaded and never posted into their chat, their
 * bodies when no other file uses them, expired upload addresses, and half-received bodies of a
 * process that stopped mid-upload.
 */
export class ChatFileCleanup {
  constructor(
    private readonly files: ChatFiles,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly settings: ChatFileCleanupSettings = DEFAULT_CHAT_FILE_CLEANUP,
  ) {}

  start(): () => void {
    return runEvery(
      this.settings.everyMs,
      () => this.runOnce(),
      (error) => {
        this.logger.error({ err: error }, 'chat files: clean-up failed');
      },
    );
  }

  async runOnce(): Promise<{ files: number; leftovers: number }> {
    const now = this.clock.now().getTime();
    const files = await this.files.dropUncommitted(new Date(now - this.settings.uncommittedTtlMs));
    const leftovers = await removeOldEntries(this.files.incomingDir, Date.now() - INCOMING_LEFTOVER_MS);
    if (files + leftovers > 0) this.logger.info({ files, leftovers }, 'chat files: removed unposted uploads');
    return { files, leftovers };
  }
}

async function removeOldEntries(dir: string, before: number): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info && info.mtimeMs < before) {
      await rm(path, { force: true });
      removed += 1;
    }
  }
  return removed;
}

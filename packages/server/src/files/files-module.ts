import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.ts';
import type { ChatDirectory } from '../messenger/chats/chat-directory.ts';
import type { MessageParamsUpdates } from '../messenger/messages/message-params-updates.ts';
import type { MessageSender } from '../messenger/messages/message-sender.ts';
import type { FeatureModule } from '../modules/feature-module.ts';
import type { Database } from '../storage/database.ts';
import type { BlobStore } from './blob-store.ts';
import { ChatFileCleanup } from './chat-file-cleanup.ts';
import { chatFileMethods } from './chat-file-methods.ts';
import { chatFileRoutes, type ViewerAuthenticators } from './chat-file-routes.ts';
import { ChatFiles } from './chat-files.ts';
import { DirectoryBlobStore } from './directory-blob-store.ts';
import { DEFAULT_IMAGE_LIMITS } from './file-inspection.ts';
import { MessageFiles } from './message-files.ts';
import type { S3Settings } from './s3-blob-store.ts';
import { S3BlobStoreOnDemand } from './s3-blob-store-on-demand.ts';

/** Where file bodies go and how large they may be (the `files` settings). */
export interface FileStorage {
  sizeLimit: number;
  /** The bodies' folder (and, with S3, where bodies are received first). */
  dir: string;
  s3: S3Settings | undefined;
}

export interface FilesServices {
  /** Files sent in chats: uploads, posting, addresses, clean-up (`files/`). */
  chatFiles: ChatFiles;
  chatFileCleanup: ChatFileCleanup;
  /** Where file bodies are kept (photos keep theirs there too). */
  blobs: BlobStore;
}

/** Where bodies go when nothing is configured: only tools that never receive a file leave it out. */
const SCRATCH_FILE_STORAGE: FileStorage = {
  sizeLimit: 100 * 1024 * 1024,
  dir: join(tmpdir(), 'portaldesk-files'),
  s3: undefined,
};

export function createFilesModule(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Where file bodies go and how large they may be. */
  storage?: FileStorage | undefined;
  directory: ChatDirectory;
  sender: MessageSender;
  paramsUpdates: MessageParamsUpdates;
  /** Who fetches a file's address (as `/rest/` calls are authenticated). */
  authenticators: ViewerAuthenticators;
}): FeatureModule<FilesServices> {
  const { db, clock, logger } = deps;
  const storage = deps.storage ?? SCRATCH_FILE_STORAGE;
  const blobs = fileBodyStore(storage);
  const chatFiles = new ChatFiles(
    db,
    clock,
    blobs,
    deps.directory,
    deps.sender,
    deps.paramsUpdates,
    new MessageFiles(db),
    {
      sizeLimit: storage.sizeLimit,
      image: DEFAULT_IMAGE_LIMITS,
      uploadAddressTtlMs: 60 * 60 * 1000,
    },
  );
  const chatFileCleanup = new ChatFileCleanup(chatFiles, clock, logger);
  let stopCleanup: (() => void) | undefined;
  return {
    name: 'files',
    services: { chatFiles, chatFileCleanup, blobs },
    methods: chatFileMethods(chatFiles),
    routes: [{ role: 'portal', register: (app) => chatFileRoutes(app, deps.authenticators, chatFiles) }],
    async start() {
      stopCleanup = chatFileCleanup.start();
    },
    async stop() {
      stopCleanup?.();
      if (blobs instanceof S3BlobStoreOnDemand) blobs.close();
    },
  };
}

/** An S3-compatible bucket when one is configured, else the folder. */
function fileBodyStore(files: FileStorage): BlobStore {
  if (files.s3) return new S3BlobStoreOnDemand(files.s3, join(files.dir, 'incoming'));
  return new DirectoryBlobStore(files.dir);
}

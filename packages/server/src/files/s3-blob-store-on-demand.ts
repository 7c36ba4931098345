import type { Readable } from 'node:stream';
import type { BlobStore } from './blob-store.ts';
import type { S3BlobStore, S3Settings } from './s3-blob-store.ts';

/**
 * The S3 store, with the AWS SDK loaded on the first file that needs it: loading the SDK costs
 * about 0.2 s, which every start of a server without S3 would otherwise pay.
 */
export class S3BlobStoreOnDemand implements BlobStore {
  private store: Promise<S3BlobStore> | undefined;
  private loaded: S3BlobStore | undefined;

  constructor(
    private readonly settings: S3Settings,
    readonly incomingDir: string,
  ) {}

  async put(sha256: string, path: string, size: number): Promise<void> {
    await (await this.open()).put(sha256, path, size);
  }

  async read(sha256: string): Promise<Readable | null> {
    return (await this.open()).read(sha256);
  }

  async delete(sha256: string): Promise<void> {
    await (await this.open()).delete(sha256);
  }

  /** Stops the client's sockets, if it was ever made. */
  close(): void {
    this.loaded?.close();
  }

  private open(): Promise<S3BlobStore> {
    this.store ??= import('./s3-blob-store.ts').then(({ S3BlobStore }) => {
      this.loaded = new S3BlobStore(this.settings, this.incomingDir);
      return this.loaded;
    });
    return this.store;
  }
}

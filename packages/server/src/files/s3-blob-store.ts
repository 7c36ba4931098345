import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type BlobStore, isSha256 } from './blob-store.ts';

/** An S3-compatible object store; credentials come the SDK's usual way (AWS_ACCESS_KEY_ID, …). */
export interface S3Settings {
  bucket: string;
  /** For stores other than AWS (MinIO, Ceph, …); path-style addressing is used then. */
  endpoint: string | undefined;
  region: string;
  /** Key prefix, so one bucket can hold several deployments. */
  prefix: string;
}

/**
 * Bodies in an S3-compatible bucket, so that several server processes (on several machines) see
 * the same files. Bodies are still received into a local folder first: the type is read from
 * the bytes and a preview made before anything is stored.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;

  constructor(
    private readonly settings: S3Settings,
    readonly incomingDir: string,
    client?: S3Client,
  ) {
    this.client =
      client ??
      new S3Client({
        region: settings.region,
        // Checksums only where S3 requires them: many compatible stores do not take the SDK's
        // default trailing checksums (aws-chunked uploads).
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
      });
  }

  async put(sha256: string, path: string, size: number): Promise<void> {
    const Key = this.keyOf(sha256);
    if (await this.exists(Key)) return;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key,
        Body: createReadStream(path),
        ContentLength: size,
        ContentType: 'application/octet-stream',
      }),
    );
  }

  async read(sha256: string): Promise<Readable | null> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(sha256) }),
      );
      return (answer.Body as Readable | undefined) ?? null;
    } catch (error) {
      if (error instanceof NoSuchKey || error instanceof NotFound) return null;
      throw error;
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(sha256) }));
  }

  /** Stops the client's sockets. */
  close(): void {
    this.client.destroy();
  }

  private async exists(Key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key }));
      return true;
    } catch (error) {
      if (
        error instanceof NotFound ||
        (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
      ) {
        return false;
      }
      throw error;
    }
  }

  private keyOf(sha256: string): string {
    if (!isSha256(sha256)) throw new Error('not a SHA-256');
    return `${this.settings.prefix}${sha256}`;
  }
}

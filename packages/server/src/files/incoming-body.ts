import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomToken } from '../secrets/random-secret.ts';
import { fileRefusal, readableSize } from './file-refusal.ts';

/** A body received into the incoming folder, whole, with its digest. Removed by `discard`. */
export interface IncomingBody {
  path: string;
  size: number;
  sha256: string;
  discard(): Promise<void>;
}

/**
 * Streams `source` into a new file of `incomingDir`, hashing as it goes, and stops at `limit`
 * bytes: a body over the limit is refused without being read to its end. On any failure the
 * partial file is removed.
 */
export async function receiveBody(
  source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  incomingDir: string,
  limit: number,
): Promise<IncomingBody> {
  await mkdir(incomingDir, { recursive: true, mode: 0o700 });
  const path = join(incomingDir, `${Date.now()}-${randomToken(12)}`);
  const hash = createHash('sha256');
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limit) {
        done(fileRefusal('FILE_TOO_LARGE', `The file is larger than the limit of ${readableSize(limit)}`));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const discard = () => rm(path, { force: true });
  try {
    await pipeline(source, counter, createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await discard();
    throw error;
  }
  if (size === 0) {
    await discard();
    throw fileRefusal('FILE_EMPTY', 'The file is empty');
  }
  return { path, size, sha256: hash.digest('hex'), discard };
}

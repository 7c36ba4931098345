import type { Readable } from 'node:stream';

/**
 * Where file bodies live, each under the hex SHA-256 of its bytes: the same bytes are stored
 * once, and a body never changes under its name. The database says which files use which body.
 */
export interface BlobStore {
  /** Stores the body read from `path` (a finished temporary file) under `sha256`; no-op when present. */
  put(sha256: string, path: string, size: number): Promise<void>;
  /** The body, or null when it is not stored. */
  read(sha256: string): Promise<Readable | null>;
  /** Removes the body; no-op when absent. */
  delete(sha256: string): Promise<void>;
  /** A folder on this machine for bodies still being received (and cleaned of leftovers). */
  readonly incomingDir: string;
}

/** A SHA-256 in hex, as stored; anything else is never used to build a path or key. */
export function isSha256(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

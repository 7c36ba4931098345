import semver from 'semver';
import { z } from 'zod';

/**
 * What the update address serves: a small JSON document naming the newest version and the page
 * where a person gets it. The app only reads it and tells its user; it downloads and runs nothing.
 *
 *   { "version": "0.2.0", "url": "https://example.com/portaldesk/download", "notes": "What is new…" }
 */
export const updateManifestSchema = z.object({
  version: z.string().refine((v) => semver.valid(v) !== null, 'must be a semantic version such as 1.4.2'),
  /** The download page, opened in the user's browser when they click the notice. */
  url: z
    .string()
    .url()
    .refine((u) => isSafeAddress(new URL(u)), 'must be https (http only on this machine)'),
  notes: z.string().max(500).optional(),
});
export type UpdateManifest = z.infer<typeof updateManifestSchema>;

/** A newer version than the running one, as the user is told of it. */
export interface AvailableUpdate {
  version: string;
  url: string;
  notes?: string;
}

/** The manifest's version when it is newer than `current`, in semver order (1.10.0 > 1.9.0 > 1.9.0-rc.1). */
export function newerVersion(manifest: UpdateManifest, current: string): AvailableUpdate | undefined {
  if (!semver.valid(current) || !semver.gt(manifest.version, current)) return undefined;
  return { version: manifest.version, url: manifest.url, ...(manifest.notes ? { notes: manifest.notes } : {}) };
}

/** https, or http to this machine (a local update server, tests). */
export function isSafeAddress(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

import { type AvailableUpdate, isSafeAddress, newerVersion, updateManifestSchema } from './update-manifest.ts';

export type UpdateCheckErrorCode = 'UPDATE_ADDRESS_INVALID' | 'UPDATE_FETCH_FAILED' | 'UPDATE_MANIFEST_INVALID';

export class UpdateCheckError extends Error {
  constructor(
    readonly code: UpdateCheckErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UpdateCheckError';
  }
}

/** A manifest is a few hundred bytes; anything much larger is not one. */
const MAX_MANIFEST_BYTES = 64 * 1024;
const FETCH_TIMEOUT_MS = 15_000;
/** Once a day, as the app may run for weeks in the tray. */
export const CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** The first check waits until start-up is over: it must not delay the first window. */
export const FIRST_CHECK_DELAY_MS = 10_000;

export interface UpdateCheckOptions {
  /** The manifest's address (`PORTALDESK_UPDATE_URL`). */
  manifestUrl: string;
  currentVersion: string;
  fetch?: typeof fetch;
}

/** The address checks are made against, validated once at start: https, or http on this machine. */
export function parseUpdateAddress(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UpdateCheckError('UPDATE_ADDRESS_INVALID', `The update address "${value}" is not a URL.`);
  }
  if (!isSafeAddress(url)) {
    throw new UpdateCheckError(
      'UPDATE_ADDRESS_INVALID',
      'The update address must be https (http only on this machine).',
    );
  }
  return url;
}

/**
 * Reads the manifest once; the newer version it names, or undefined when the app is up to date.
 * Only the manifest is requested: nothing is downloaded or run.
 */
export async function checkForUpdate(options: UpdateCheckOptions): Promise<AvailableUpdate | undefined> {
  const url = parseUpdateAddress(options.manifestUrl);
  let text: string;
  try {
    const response = await (options.fetch ?? fetch)(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (response.url && !isSafeAddress(new URL(response.url))) {
      throw new Error('redirected to an address that is not https');
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = await response.text();
  } catch (error) {
    throw new UpdateCheckError(
      'UPDATE_FETCH_FAILED',
      `The update manifest could not be read: ${(error as Error).message}`,
    );
  }
  if (text.length > MAX_MANIFEST_BYTES) {
    throw new UpdateCheckError('UPDATE_MANIFEST_INVALID', 'The update manifest is too large.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UpdateCheckError('UPDATE_MANIFEST_INVALID', 'The update manifest is not JSON.');
  }
  const manifest = updateManifestSchema.safeParse(json);
  if (!manifest.success) {
    const issue = manifest.error.issues[0];
    throw new UpdateCheckError(
      'UPDATE_MANIFEST_INVALID',
      `The update manifest is not valid: ${issue?.path.join('.') || 'document'} ${issue?.message ?? ''}`.trim(),
    );
  }
  return newerVersion(manifest.data, options.currentVersion);
}

export interface UpdateChecksOptions extends UpdateCheckOptions {
  /** A newer version was found; called once per version. */
  onAvailable(update: AvailableUpdate): void;
  log?(message: string, fields?: Record<string, unknown>): void;
  /** Timers; tests drive them. */
  setTimer?(callback: () => void, ms: number): { unref?(): void };
}

export interface UpdateChecks {
  /** Checks now (also what the timers call). */
  check(): Promise<AvailableUpdate | undefined>;
  stop(): void;
}

/**
 * Checks at start (after FIRST_CHECK_DELAY_MS) and then daily. A failed check is logged with its
 * code and tried again at the next one; the user is told of each newer version once.
 */
export function startUpdateChecks(options: UpdateChecksOptions): UpdateChecks {
  parseUpdateAddress(options.manifestUrl);
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  let told: string | undefined;
  let stopped = false;
  const check = async () => {
    try {
      const update = await checkForUpdate(options);
      if (update && update.version !== told && !stopped) {
        told = update.version;
        options.onAvailable(update);
      }
      return update;
    } catch (error) {
      options.log?.('update check failed', { code: (error as UpdateCheckError).code ?? 'UPDATE_FETCH_FAILED' });
      return undefined;
    }
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    // Unref'd: a pending check never keeps the app running.
    setTimer(() => void check().finally(() => schedule(CHECK_INTERVAL_MS)), ms).unref?.();
  };
  schedule(FIRST_CHECK_DELAY_MS);
  return {
    check,
    stop: () => {
      stopped = true;
    },
  };
}

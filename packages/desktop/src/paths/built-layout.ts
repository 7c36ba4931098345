import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Defined by `npm run build` (esbuild's `define`); undeclared globals when running from sources.
declare const PORTALDESK_BUILT: boolean;
declare const PORTALDESK_BUILT_VERSION: string;
declare const PORTALDESK_BUILT_UPDATE_URL: string;

/**
 * Whether this is the built app (`dist/desktop/main.mjs`, one bundle, the UI in `ui/` beside it)
 * rather than the TypeScript sources in the repository. In the bundle `import.meta.url` is the
 * bundle's own address, so paths relative to a source file no longer hold there.
 */
export const isBuiltApp = typeof PORTALDESK_BUILT !== 'undefined';

/** The built UI the desktop serves to its windows. */
export function uiDistDir(): string {
  return fileURLToPath(new URL(isBuiltApp ? './ui/' : '../../../ui/dist/', import.meta.url));
}

/** The app's icon (PNG) for the menu entry it writes: beside the bundle once built, else the UI's. */
export function appIconPath(): string {
  return fileURLToPath(
    new URL(isBuiltApp ? './icons/portaldesk.png' : '../../../ui/public/m/icon-512.png', import.meta.url),
  );
}

/** The update manifest's address a packager built in (`PORTALDESK_UPDATE_URL` at build time); '' for none. */
export function builtUpdateAddress(): string {
  return isBuiltApp ? PORTALDESK_BUILT_UPDATE_URL : '';
}

/** The app's version: `packages/desktop/package.json`'s, written into the bundle when built. */
export function appVersion(): string {
  if (isBuiltApp) return PORTALDESK_BUILT_VERSION;
  const manifest = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

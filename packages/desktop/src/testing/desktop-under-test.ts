import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DesktopApp, type DesktopAppOptions } from '../app/desktop-app.ts';
import { findBrowser } from '../browser/browser-discovery.ts';
import type { VirtualDisplay } from './xvfb.ts';

/** The built UI the desktop's windows load (`npm run build:ui`; `npm test` builds it first). */
export const uiDist = fileURLToPath(new URL('../../../ui/dist/', import.meta.url));

/** Where window tests write the pictures a person looks at. */
export const screenshots = join(process.cwd(), 'test-output', 'screenshots');

/**
 * Window tests need the built UI; without it they would fail later with a blank window. Also
 * makes the screenshot folder.
 */
export function requireBuiltUi(page: 'login.html' | 'chat.html'): void {
  if (!existsSync(join(uiDist, 'desktop', page))) {
    throw new Error('The UI is not built: run `npm run build:ui` (npm test does it first)');
  }
  mkdirSync(screenshots, { recursive: true });
}

/** What a test chooses; the rest is the same for every window test. */
export type DesktopUnderTestOptions = Omit<DesktopAppOptions, 'version' | 'browser' | 'ui' | 'browserEnv'>;

/** The desktop app with the system Chromium and the built UI, its windows on `display`. */
export function startDesktopUnderTest(display: VirtualDisplay, options: DesktopUnderTestOptions): Promise<DesktopApp> {
  return DesktopApp.start({
    version: '0.1.0-test',
    browser: findBrowser(),
    ui: { distDir: uiDist },
    browserEnv: { ...process.env, DISPLAY: display.display },
    ...options,
  });
}

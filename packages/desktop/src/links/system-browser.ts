import { spawn } from 'node:child_process';

/** Opens a web or mail link outside the app: in the system's default browser or mail program. */
export type OpenOutside = (url: string) => Promise<void>;

/** The schemes a link may have to leave the app; anything else is never handed to the system. */
const OUTSIDE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** `url` as a link to open outside, or null when it must not leave the app (bad URL, other scheme). */
export function outsideLink(url: string): string | null {
  try {
    const parsed = new URL(url);
    return OUTSIDE_SCHEMES.has(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * The system's own opener: `xdg-open` on Linux (it follows the desktop's default browser),
 * `open` on macOS, `explorer` on Windows. Detached, so the browser outlives the app.
 */
export const openInSystemBrowser: OpenOutside = (url) =>
  new Promise((resolve, reject) => {
    const [command, args] =
      process.platform === 'darwin'
        ? ['open', [url]]
        : process.platform === 'win32'
          ? ['explorer.exe', [url]]
          : ['xdg-open', [url]];
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });

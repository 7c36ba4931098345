import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { LINK_SCHEME } from '../links/portaldesk-link.ts';

/** Where the freedesktop.org files go: `$XDG_DATA_HOME` and `$XDG_CONFIG_HOME`, and how to start the app. */
export interface XdgLocations {
  dataHome: string;
  configHome: string;
  /** The app's command line (program and arguments). */
  command: string[];
  /** The menu entry's icon: a path, or a name in the icon theme. */
  icon?: string;
}

const DESKTOP_FILE = 'portaldesk.desktop';
const MIME_TYPE = `x-scheme-handler/${LINK_SCHEME}`;

/**
 * Starts the app this process is: the installed launcher when it started us (`PORTALDESK_LAUNCHER`,
 * set by the .deb's `/usr/bin/portaldesk` and the tarball's `portaldesk`), else node with the same
 * loader flags and entry script.
 */
export function currentLaunchCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.PORTALDESK_LAUNCHER) return [env.PORTALDESK_LAUNCHER];
  return [process.execPath, ...process.execArgv, ...(process.argv[1] ? [process.argv[1]] : [])];
}

/**
 * The app's menu entry (`applications/portaldesk.desktop`) with `MimeType=x-scheme-handler/portaldesk`,
 * made the default handler of `portaldesk://` links in `mimeapps.list`: what the desktop
 * environment opens a link with. Runs at every start, so a moved install fixes itself.
 */
export async function installLinkHandler(locations: XdgLocations): Promise<void> {
  await writeFile(
    join(locations.dataHome, 'applications', DESKTOP_FILE),
    desktopEntry({
      Name: 'Portaldesk',
      Comment: 'Messenger for your company portals',
      Exec: `${execLine(locations.command)} %u`,
      ...(locations.icon ? { Icon: locations.icon } : {}),
      Terminal: 'false',
      Categories: 'Network;InstantMessaging;',
      MimeType: `${MIME_TYPE};`,
      StartupNotify: 'false',
    }),
  );
  const mimeapps = join(locations.configHome, 'mimeapps.list');
  const current = await readFile(mimeapps, 'utf8').catch(() => '');
  await writeFile(mimeapps, withDefaultHandler(current, MIME_TYPE, DESKTOP_FILE));
}

/** Adds or removes the XDG autostart entry: the app starts in the tray when the user logs in. */
export async function setStartOnLogin(locations: XdgLocations, enabled: boolean): Promise<void> {
  const path = autostartPath(locations);
  if (!enabled) {
    await rm(path, { force: true });
    return;
  }
  await writeFile(
    path,
    desktopEntry({
      Name: 'Portaldesk',
      Exec: `${execLine(locations.command)} --hidden`,
      Terminal: 'false',
      'X-GNOME-Autostart-enabled': 'true',
    }),
  );
}

export function autostartPath(locations: XdgLocations): string {
  return join(locations.configHome, 'autostart', DESKTOP_FILE);
}

async function writeFile(path: string, text: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFileAtomic(path, text, 0o644);
}

function desktopEntry(fields: Record<string, string>): string {
  const lines = Object.entries(fields).map(([key, value]) => `${key}=${value.replace(/[\r\n]/g, ' ')}`);
  return ['[Desktop Entry]', 'Type=Application', ...lines, ''].join('\n');
}

/** The Desktop Entry spec's quoting for `Exec`: arguments with reserved characters in double quotes. */
export function execLine(command: string[]): string {
  return command
    .map((argument) => {
      if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(argument)) return argument.replace(/%/g, '%%');
      return `"${argument.replace(/(["`$\\])/g, '\\$1').replace(/%/g, '%%')}"`;
    })
    .join(' ');
}

/** `mimeapps.list` with `mime=handler` in `[Default Applications]`, every other line kept. */
export function withDefaultHandler(text: string, mime: string, handler: string): string {
  const lines = text.split('\n').filter((line, index, all) => index < all.length - 1 || line !== '');
  const section = lines.findIndex((line) => line.trim() === '[Default Applications]');
  const entry = `${mime}=${handler}`;
  if (section < 0) return [...lines, ...(lines.length ? [''] : []), '[Default Applications]', entry, ''].join('\n');
  let end = section + 1;
  while (end < lines.length && !lines[end]!.trim().startsWith('[')) end += 1;
  const existing = lines.slice(section + 1, end).findIndex((line) => line.startsWith(`${mime}=`));
  if (existing >= 0) lines[section + 1 + existing] = entry;
  else lines.splice(section + 1, 0, entry);
  return `${lines.join('\n')}\n`;
}

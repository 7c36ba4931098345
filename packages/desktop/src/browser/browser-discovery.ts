import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Chromium-family browsers the desktop can drive over the DevTools protocol. */
export type BrowserKind = 'chrome' | 'chromium' | 'edge';

export interface FoundBrowser {
  kind: BrowserKind;
  executablePath: string;
  /** How it was found, for the log line that says which browser the app uses. */
  source: 'override' | 'known-path' | 'path';
}

export type BrowserDiscoveryErrorCode = 'BROWSER_NOT_FOUND' | 'BROWSER_OVERRIDE_INVALID';

export class BrowserDiscoveryError extends Error {
  constructor(
    readonly code: BrowserDiscoveryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BrowserDiscoveryError';
  }
}

export interface BrowserDiscoveryOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

interface Candidate {
  kind: BrowserKind;
  path: string;
}

/** Names on PATH, best first: a stable Chrome, then Chromium, then Edge. */
const LINUX_COMMANDS: Candidate[] = [
  { kind: 'chrome', path: 'google-chrome-stable' },
  { kind: 'chrome', path: 'google-chrome' },
  { kind: 'chromium', path: 'chromium' },
  { kind: 'chromium', path: 'chromium-browser' },
  { kind: 'edge', path: 'microsoft-edge-stable' },
  { kind: 'edge', path: 'microsoft-edge' },
];

const LINUX_KNOWN_PATHS: Candidate[] = [
  { kind: 'chrome', path: '/opt/google/chrome/chrome' },
  { kind: 'chromium', path: '/usr/bin/chromium' },
  { kind: 'chromium', path: '/usr/bin/chromium-browser' },
  { kind: 'chromium', path: '/snap/bin/chromium' },
  { kind: 'edge', path: '/opt/microsoft/msedge/msedge' },
];

function macKnownPaths(homeDir: string): Candidate[] {
  const bundles: Candidate[] = [
    { kind: 'chrome', path: 'Google Chrome.app/Contents/MacOS/Google Chrome' },
    { kind: 'chromium', path: 'Chromium.app/Contents/MacOS/Chromium' },
    { kind: 'edge', path: 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge' },
  ];
  return ['/Applications', join(homeDir, 'Applications')].flatMap((dir) =>
    bundles.map((b) => ({ kind: b.kind, path: join(dir, b.path) })),
  );
}

function windowsKnownPaths(env: NodeJS.ProcessEnv): Candidate[] {
  const roots = [env.ProgramFiles, env['ProgramFiles(x86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
  const inRoot: Candidate[] = [
    { kind: 'chrome', path: join('Google', 'Chrome', 'Application', 'chrome.exe') },
    { kind: 'chromium', path: join('Chromium', 'Application', 'chrome.exe') },
    { kind: 'edge', path: join('Microsoft', 'Edge', 'Application', 'msedge.exe') },
  ];
  return inRoot.flatMap((c) => roots.map((root) => ({ kind: c.kind, path: join(root, c.path) })));
}

function isExecutableFile(path: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function kindFromPath(path: string): BrowserKind {
  const lower = path.toLowerCase();
  if (lower.includes('edge')) return 'edge';
  if (lower.includes('chromium')) return 'chromium';
  return 'chrome';
}

function installAdvice(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'Install Google Chrome (https://www.google.com/chrome/) or Microsoft Edge, then start Portaldesk again.';
    case 'win32':
      return 'Install Microsoft Edge or Google Chrome (https://www.google.com/chrome/), then start Portaldesk again.';
    default:
      return 'Install Chromium (on Debian or Ubuntu: sudo apt-get install chromium) or Google Chrome, then start Portaldesk again.';
  }
}

/**
 * Finds an installed Chrome, Chromium or Edge. `PORTALDESK_BROWSER` wins when set (and must
 * point at a real executable, so a typo is reported rather than silently ignored); then the
 * places installers put these browsers; then PATH.
 */
export function findBrowser(options: BrowserDiscoveryOptions = {}): FoundBrowser {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? homedir();

  const override = env.PORTALDESK_BROWSER?.trim();
  if (override) {
    if (!isExecutableFile(override, platform)) {
      throw new BrowserDiscoveryError(
        'BROWSER_OVERRIDE_INVALID',
        `PORTALDESK_BROWSER is set to "${override}", which is not an executable file. Point it at Chrome, Chromium or Edge, or unset it.`,
      );
    }
    return { kind: kindFromPath(override), executablePath: override, source: 'override' };
  }

  const known =
    platform === 'darwin' ? macKnownPaths(homeDir) : platform === 'win32' ? windowsKnownPaths(env) : LINUX_KNOWN_PATHS;
  for (const candidate of known) {
    if (isExecutableFile(candidate.path, platform)) {
      return { kind: candidate.kind, executablePath: candidate.path, source: 'known-path' };
    }
  }

  const pathDirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : delimiter).filter(Boolean);
  const commands: Candidate[] =
    platform === 'win32'
      ? [
          { kind: 'chrome', path: 'chrome.exe' },
          { kind: 'edge', path: 'msedge.exe' },
        ]
      : LINUX_COMMANDS;
  for (const command of commands) {
    for (const dir of pathDirs) {
      const path = join(dir, command.path);
      if (isExecutableFile(path, platform)) return { kind: command.kind, executablePath: path, source: 'path' };
    }
  }

  throw new BrowserDiscoveryError(
    'BROWSER_NOT_FOUND',
    `Portaldesk opens its windows in Chrome, Chromium or Edge, and none was found. ${installAdvice(platform)} To use a browser installed elsewhere, set PORTALDESK_BROWSER to its executable.`,
  );
}

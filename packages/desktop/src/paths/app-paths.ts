import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface AppPaths {
  /** settings.json and the vault key. */
  configDir: string;
  /** The browser's user-data directory, the sealed vault file, logs. */
  dataDir: string;
  /** Where the single-instance socket lives (unix) — or the pipe name (Windows). */
  instanceSocket: string;
}

/**
 * Per-user locations by each OS's conventions (XDG on Linux, Application Support on macOS,
 * AppData on Windows). `PORTALDESK_HOME` puts everything under one folder: for tests and for a
 * portable install.
 */
export function appPaths(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): AppPaths {
  const user = safeName(userInfo().username);
  if (env.PORTALDESK_HOME) {
    const root = env.PORTALDESK_HOME;
    return {
      configDir: join(root, 'config'),
      dataDir: join(root, 'data'),
      instanceSocket: platform === 'win32' ? `\\\\.\\pipe\\portaldesk-${safeName(root)}` : join(root, 'instance.sock'),
    };
  }
  const home = homedir();
  if (platform === 'win32') {
    const roaming = env.APPDATA ?? join(home, 'AppData', 'Roaming');
    const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
    return {
      configDir: join(roaming, 'Portaldesk'),
      dataDir: join(local, 'Portaldesk'),
      instanceSocket: `\\\\.\\pipe\\portaldesk-${user}`,
    };
  }
  if (platform === 'darwin') {
    const support = join(home, 'Library', 'Application Support', 'Portaldesk');
    return { configDir: support, dataDir: support, instanceSocket: join(support, 'instance.sock') };
  }
  const runtime = env.XDG_RUNTIME_DIR ?? join(tmpdir(), `portaldesk-${user}`);
  return {
    configDir: join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'portaldesk'),
    dataDir: join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'portaldesk'),
    instanceSocket: join(runtime, 'portaldesk', 'instance.sock'),
  };
}

function safeName(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_').slice(-80);
}

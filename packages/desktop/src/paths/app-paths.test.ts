import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appPaths } from './app-paths.ts';

test('Linux follows XDG, with the instance socket in the runtime directory', () => {
  const paths = appPaths(
    {
      XDG_CONFIG_HOME: '/home/ann/.config',
      XDG_DATA_HOME: '/home/ann/.local/share',
      XDG_RUNTIME_DIR: '/run/user/1000',
    },
    'linux',
  );
  assert.deepEqual(paths, {
    configDir: '/home/ann/.config/portaldesk',
    dataDir: '/home/ann/.local/share/portaldesk',
    instanceSocket: '/run/user/1000/portaldesk/instance.sock',
  });
});

test('Windows uses AppData and a named pipe', () => {
  const paths = appPaths(
    { APPDATA: 'C:/Users/ann/AppData/Roaming', LOCALAPPDATA: 'C:/Users/ann/AppData/Local' },
    'win32',
  );
  assert.match(paths.configDir, /Roaming.Portaldesk$/);
  assert.match(paths.dataDir, /Local.Portaldesk$/);
  assert.match(paths.instanceSocket, /^\\\\\.\\pipe\\portaldesk-/);
});

test('PORTALDESK_HOME keeps everything in one folder', () => {
  assert.deepEqual(appPaths({ PORTALDESK_HOME: '/tmp/pd' }, 'linux'), {
    configDir: '/tmp/pd/config',
    dataDir: '/tmp/pd/data',
    instanceSocket: '/tmp/pd/instance.sock',
  });
});

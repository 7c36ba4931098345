import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  autostartPath,
  currentLaunchCommand,
  execLine,
  installLinkHandler,
  setStartOnLogin,
  withDefaultHandler,
  type XdgLocations,
} from './xdg-desktop-files.ts';

const root = mkdtempSync(join(tmpdir(), 'portaldesk-xdg-'));
after(() => rmSync(root, { recursive: true, force: true }));
const locations: XdgLocations = {
  dataHome: join(root, 'data'),
  configHome: join(root, 'config'),
  command: ['/opt/node/bin/node', '--import', 'file:///opt/my app/loader.mjs', '/opt/portaldesk/main.ts'],
  icon: '/opt/portaldesk/icons/portaldesk.png',
};

test('portaldesk:// links are registered to the app, keeping the user’s other defaults', async () => {
  mkdirSync(locations.configHome, { recursive: true });
  writeFileSync(
    join(locations.configHome, 'mimeapps.list'),
    '[Default Applications]\ntext/html=firefox.desktop\nx-scheme-handler/portaldesk=old.desktop\n\n[Added Associations]\nimage/png=eog.desktop\n',
  );
  await installLinkHandler(locations);
  const entry = readFileSync(join(locations.dataHome, 'applications', 'portaldesk.desktop'), 'utf8');
  assert.match(entry, /^\[Desktop Entry\]\nType=Application\n/);
  assert.match(entry, /\nMimeType=x-scheme-handler\/portaldesk;\n/);
  assert.match(entry, /\nIcon=\/opt\/portaldesk\/icons\/portaldesk\.png\n/, 'the menu shows the app icon');
  assert.match(
    entry,
    /\nExec=\/opt\/node\/bin\/node --import "file:\/\/\/opt\/my app\/loader\.mjs" \/opt\/portaldesk\/main\.ts %u\n/,
  );
  assert.equal(
    readFileSync(join(locations.configHome, 'mimeapps.list'), 'utf8'),
    '[Default Applications]\ntext/html=firefox.desktop\nx-scheme-handler/portaldesk=portaldesk.desktop\n\n[Added Associations]\nimage/png=eog.desktop\n',
  );
  // The desktop environment's own validator (desktop-file-utils) agrees the entry is well formed.
  execFileSync('desktop-file-validate', [join(locations.dataHome, 'applications', 'portaldesk.desktop')]);
});

test('start on login writes and removes the XDG autostart entry', async () => {
  await setStartOnLogin(locations, true);
  const entry = readFileSync(autostartPath(locations), 'utf8');
  assert.match(entry, /\nExec=.*\/opt\/portaldesk\/main\.ts --hidden\n/);
  await setStartOnLogin(locations, false);
  assert.equal(existsSync(autostartPath(locations)), false);
  await setStartOnLogin(locations, false);
});

test('an installed app is started by its launcher, so the menu entry survives an update of the runtime', () => {
  assert.deepEqual(currentLaunchCommand({ PORTALDESK_LAUNCHER: '/usr/bin/portaldesk' }), ['/usr/bin/portaldesk']);
  assert.equal(currentLaunchCommand({}).at(-1), process.argv[1], 'from sources: node and the entry script');
});

test('Exec quoting and mimeapps.list edits follow the specs', () => {
  assert.equal(execLine(['/usr/bin/node', 'a b', 'x"$`\\', '50%']), '/usr/bin/node "a b" "x\\"\\$\\`\\\\" 50%%');
  assert.equal(
    withDefaultHandler('', 'x-scheme-handler/portaldesk', 'p.desktop'),
    '[Default Applications]\nx-scheme-handler/portaldesk=p.desktop\n',
  );
  assert.equal(
    withDefaultHandler('[Added Associations]\na=b.desktop\n', 'm', 'p.desktop'),
    '[Added Associations]\na=b.desktop\n\n[Default Applications]\nm=p.desktop\n',
  );
});

/**
 * `npm run package` (after `npm run build`): the desktop app for Linux, as
 *   dist/packages/portaldesk_<version>_<arch>.deb            Debian 12+, Ubuntu 22.04+
 *   dist/packages/portaldesk-<version>-linux-<arch>.tar.xz   any glibc Linux: run ./portaldesk
 * Both carry the built app (dist/desktop), a copy of the Node.js runtime that runs this script,
 * the launcher, the app icon, the menu entry with the `portaldesk://` link handler. The browser
 * is the system's: the .deb depends on Debian's `chromium` (or Chrome or Edge from their vendors'
 * repositories); the app finds Chrome, Chromium or Edge at run time (`PORTALDESK_BROWSER` overrides).
 *
 * Why the runtime comes with it: the app needs Node >= 20.19 and Debian 12's `nodejs` is 18, so a
 * dependency on the system's would not install there without a third-party repository. The copy
 * costs ~25 MB compressed and needs only glibc and libstdc++ (checked below with ldd).
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_NODE_OPTIONS } from './built-node-options.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const linux = join(root, 'scripts/desktop-app/linux');
const app = join(root, 'dist/desktop');
const out = join(root, 'dist/packages');
const staging = join(root, 'dist/.staging');

if (!existsSync(join(app, 'main.mjs'))) throw new Error('dist/desktop is missing: run `npm run build` first');
const { version } = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { version: string };
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
if (major < 20 || (major === 20 && minor < 19)) {
  throw new Error(`the packaged runtime is this node (${process.version}); the app needs >= 20.19`);
}
const DEB_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };
const debArch = DEB_ARCH[process.arch];
if (!debArch) throw new Error(`no package for ${process.arch}`);
const tarArch = process.arch;

/** The app as it is installed: launcher, node, app/. */
function layApp(dir: string): void {
  mkdirSync(dir, { recursive: true });
  // The source map is for debugging a build, not for users: it stays in dist/desktop.
  cpSync(app, join(dir, 'app'), { recursive: true, filter: (path) => !path.endsWith('.mjs.map') });
  cpSync(process.execPath, join(dir, 'node'));
  chmodSync(join(dir, 'node'), 0o755);
  const launcher = readFileSync(join(linux, 'portaldesk.sh'), 'utf8').replace(
    '@NODE_OPTIONS@',
    BUILT_NODE_OPTIONS.join(' '),
  );
  writeFileSync(join(dir, 'portaldesk'), launcher);
  chmodSync(join(dir, 'portaldesk'), 0o755);
}

/** The menu entry and the icon in the theme, under `<share>` (`/usr/share`, or the tarball's `share/`). */
function layShare(share: string): void {
  mkdirSync(join(share, 'applications'), { recursive: true });
  cpSync(join(linux, 'portaldesk.desktop'), join(share, 'applications', 'portaldesk.desktop'));
  const icons = join(share, 'icons/hicolor');
  const icon = (from: string, to: string) => {
    mkdirSync(join(icons, to), { recursive: true });
    cpSync(join(app, 'icons', from), join(icons, to, from.endsWith('.svg') ? 'portaldesk.svg' : 'portaldesk.png'));
  };
  icon('portaldesk.svg', 'scalable/apps');
  icon('portaldesk-192.png', '192x192/apps');
  icon('portaldesk-512.png', '512x512/apps');
}

/** The shared libraries the runtime needs, as Debian packages (checked, not assumed). */
function runtimeLibraries(): string {
  const linked = execFileSync('ldd', [process.execPath], { encoding: 'utf8' });
  const unexpected = [...linked.matchAll(/^\s*(\S+\.so\S*)/gm)]
    .map((m) => m[1]!.replace(/^.*\//, ''))
    .filter((lib) => !/^(linux-vdso|libc|libm|libdl|libpthread|libstdc\+\+|libgcc_s|ld-linux)/.test(lib));
  if (unexpected.length > 0) throw new Error(`node links libraries the package does not depend on: ${unexpected}`);
  return 'libc6 (>= 2.28), libstdc++6 (>= 10), libgcc-s1';
}

function installedSizeKb(dir: string): number {
  return Number(execFileSync('du', ['-sk', '--apparent-size', dir], { encoding: 'utf8' }).split('\t')[0]);
}

rmSync(staging, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync('desktop-file-validate', [join(linux, 'portaldesk.desktop')], { stdio: 'inherit' });

// .deb
const debRoot = join(staging, 'deb');
layApp(join(debRoot, 'usr/lib/portaldesk'));
layShare(join(debRoot, 'usr/share'));
mkdirSync(join(debRoot, 'usr/bin'), { recursive: true });
symlinkSync('../lib/portaldesk/portaldesk', join(debRoot, 'usr/bin/portaldesk'));
mkdirSync(join(debRoot, 'usr/share/doc/portaldesk'), { recursive: true });
writeFileSync(
  join(debRoot, 'usr/share/doc/portaldesk/copyright'),
  'Portaldesk — MIT License.\nIt includes a copy of Node.js (MIT License, https://nodejs.org) and the npm packages in\n/usr/lib/portaldesk/app/node_modules under their own licenses; main.mjs.LEGAL.txt lists those bundled into main.mjs.\n',
);
mkdirSync(join(debRoot, 'DEBIAN'));
writeFileSync(
  join(debRoot, 'DEBIAN/control'),
  [
    'Package: portaldesk',
    `Version: ${version}`,
    `Architecture: ${debArch}`,
    'Maintainer: Portaldesk developers <portaldesk@localhost>',
    `Installed-Size: ${installedSizeKb(debRoot)}`,
    // The windows are a Chromium-family browser's app windows; apt picks Debian's chromium.
    `Depends: chromium | google-chrome-stable | microsoft-edge-stable, ${runtimeLibraries()}`,
    // Outside links open in the user's browser (xdg-open); credentials go to the keyring when
    // there is one (else an encrypted file, with a warning).
    'Recommends: xdg-utils, gnome-keyring | kwalletmanager',
    'Section: net',
    'Priority: optional',
    'Description: Desktop messenger for Bitrix24-style company portals',
    ' Portaldesk keeps your portal accounts connected in the background, shows their',
    ' messages as desktop notifications and a tray count, and opens portaldesk:// links.',
    '',
  ].join('\n'),
);
const deb = join(out, `portaldesk_${version}_${debArch}.deb`);
// xz level 3: 8% larger than the default level 6, for 60% of its CPU time (mostly the node binary).
execFileSync('dpkg-deb', ['--build', '--root-owner-group', '-Zxz', '-z3', debRoot, deb], { stdio: 'inherit' });

// tarball
const name = `portaldesk-${version}-linux-${tarArch}`;
const tarRoot = join(staging, 'tar', name);
layApp(tarRoot);
layShare(join(tarRoot, 'share'));
writeFileSync(
  join(tarRoot, 'README.txt'),
  `Portaldesk ${version} for Linux (${tarArch})

Start it with ./portaldesk. It needs Chrome, Chromium or Edge installed (on Debian or Ubuntu:
sudo apt-get install chromium); PORTALDESK_BROWSER names another one.
On its first start it adds itself to your applications menu and registers portaldesk:// links
(~/.local/share/applications/portaldesk.desktop), pointing at this folder: move the folder, start
it once from the new place. share/ holds the same menu entry and icons for a system-wide install
(copy share/ to /usr/local/share and link /usr/local/bin/portaldesk to ./portaldesk).
Node.js ${process.versions.node} comes with it (./node).
`,
);
const tarball = join(out, `${name}.tar.xz`);
execFileSync('tar', ['-C', join(staging, 'tar'), '--owner=0', '--group=0', '-I', 'xz -3 -T0', '-cf', tarball, name]);
rmSync(staging, { recursive: true, force: true });

const mb = (path: string) => `${(statSync(path).size / 1024 / 1024).toFixed(1)} MB`;
console.log(`packages (Node.js ${process.versions.node} inside):`);
console.log(`  ${deb.slice(root.length)}  ${mb(deb)}`);
console.log(`  ${tarball.slice(root.length)}  ${mb(tarball)}`);

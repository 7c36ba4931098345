import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * `names` and every package they depend on, as installed in `<root>/node_modules` (npm's flat
 * layout; a package's own nested node_modules travel with it). Optional dependencies count
 * where npm installed them: that is how native modules bring the binary for this platform.
 */
export function externalClosure(root: string, names: string[]): string[] {
  const found = new Set<string>();
  const pending = [...names];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (found.has(name)) continue;
    const manifest = join(root, 'node_modules', name, 'package.json');
    if (!existsSync(manifest)) continue;
    found.add(name);
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as PackageJson;
    pending.push(...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}));
  }
  const missing = names.filter((n) => !found.has(n));
  if (missing.length > 0) throw new Error(`not installed: ${missing.join(', ')} (run npm install)`);
  return [...found].sort();
}

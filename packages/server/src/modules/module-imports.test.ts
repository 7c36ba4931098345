import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The server's import graph, as the issue asks it to stay: no import cycle (type-only imports
 * count: they are how `AppContext` and the `*-methods.ts` files were tied together), and only the
 * composition roots know `app/`, so that every feature takes the services it declares.
 */

const SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the server is put together, and its public face (`index.ts` offers starting one): they may import `app/`. */
const COMPOSITION_ROOTS = [/^app\//, /^main\.ts$/, /^index\.ts$/, /^admin\/admin-cli\.ts$/, /^testing\//];

const SPECIFIERS = [
  /\b(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [relative(SOURCE, path)] : [];
  });
}

/** Each file's imports of other files of the server (packages are left out). */
function importGraph(): Map<string, string[]> {
  const files = sourceFiles(SOURCE);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(SOURCE, file), 'utf8');
    const targets = new Set<string>();
    for (const pattern of SPECIFIERS) {
      for (const [, specifier] of text.matchAll(pattern)) {
        if (!specifier?.startsWith('.')) continue;
        const target = relative(SOURCE, resolve(SOURCE, dirname(file), specifier));
        if (known.has(target)) targets.add(target);
      }
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Every group of files that import each other, directly or round about (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) as number, index.get(target) as number));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(group.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

test('no file of the server imports itself round about', () => {
  const graph = importGraph();
  assert.ok(graph.size > 100, `the graph was read (${graph.size} files)`);
  assert.deepEqual(cycles(graph), [], 'files in an import cycle');
});

test('only the composition roots import app/: features take the services they declare', () => {
  const offenders = [...importGraph()]
    .filter(([file]) => !COMPOSITION_ROOTS.some((root) => root.test(file)))
    .flatMap(([file, targets]) => targets.filter((t) => t.startsWith('app/')).map((t) => `${file} → ${t}`));
  assert.deepEqual(offenders, []);
});

test('the check sees a cycle when there is one', () => {
  const graph = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts']],
    ['d.ts', ['a.ts']],
  ]);
  assert.deepEqual(cycles(graph), [['a.ts', 'b.ts', 'c.ts']]);
});

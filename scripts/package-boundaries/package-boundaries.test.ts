import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { allBoundaryViolations, boundaryViolations } from './import-boundaries.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['protocol', 'client', 'server', 'ui', 'desktop'];

test('no file reaches into another package: only @portaldesk/<name> and @portaldesk/<name>/testing', () => {
  const found = allBoundaryViolations(root).map(({ file, specifier, reason }) => `${file}: '${specifier}' — ${reason}`);
  assert.deepEqual(found, []);
});

test('each package offers at most "." and "./testing", nothing else', () => {
  for (const name of PACKAGES) {
    let manifest: { exports?: Record<string, string> };
    try {
      manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    const offered = Object.keys(manifest.exports ?? {});
    assert.deepEqual(
      offered.filter((key) => key !== '.' && key !== './testing'),
      [],
      `${name} offers only "." and "./testing"`,
    );
  }
});

test('the check catches each way past a boundary, and lets the allowed ones through', () => {
  // Written with placeholders, so that the repository-wide check above does not read these as imports.
  const source = (lines: string[]) => lines.join('\n').replaceAll('PD/', '@portaldesk/').replaceAll('UP/', '../../../');
  const caught = (path: string, lines: string[]) =>
    boundaryViolations(root, join(root, path), source(lines)).map((v) => v.specifier);
  assert.deepEqual(
    caught('packages/desktop/src/chat/chat-feed.ts', [
      "import { a } from 'PD/protocol';",
      "import type {\n  B,\n} from 'PD/protocol/rest/envelope';",
      "export { c } from 'PD/server/testing';",
      "import { d } from 'UP/server/src/clock/clock.ts';",
      "const e = await import('PD/server/app/start-server');",
      "import { f } from '../paths/app-paths.ts';",
      "// import { g } from 'PD/server/clock/clock';",
    ]),
    [
      '@portaldesk/protocol/rest/envelope',
      '@portaldesk/server/testing',
      '../../../server/src/clock/clock.ts',
      '@portaldesk/server/app/start-server',
    ],
    'a deep path, fixtures in shipped code, a relative path into another package, a dynamic import',
  );
  assert.deepEqual(
    caught('packages/desktop/src/chat/chat-feed.test.ts', ["import { c } from 'PD/server/testing';"]),
    [],
    'tests may use fixtures',
  );
  assert.deepEqual(caught('bench/login.ts', ["import { c } from '../packages/server/src/demo/demo-data.ts';"]), [
    '../packages/server/src/demo/demo-data.ts',
  ]);
  assert.deepEqual(caught('packages/server/src/a.ts', ["import { s } from 'PD/server';"]), ['@portaldesk/server']);
});

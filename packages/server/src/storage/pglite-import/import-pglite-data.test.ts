import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CSRF_HEADER, DESKTOP_LOGIN_PATH } from '@portaldesk/protocol';
import pino from 'pino';
import { type RunningServer, startServer } from '../../app/start-server.ts';
import { loadConfig } from '../../config/config.ts';
import { DEMO_PASSWORD } from '../../demo/demo-data.ts';
import { localhostFetch } from '../../http-client/localhost-fetch.ts';
import { AdminCliFixture } from '../../testing/admin-cli-fixture.ts';
import { EarlierEngineDataError } from './earlier-engine-data.ts';

// A PORTALDESK_DATA written by the last release that ran PGlite; fixtures/README.md says what is in it.
const FIXTURE = fileURLToPath(new URL('./fixtures/pglite-0.5.16-demo.tar.xz', import.meta.url));

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function dataDirOfPreviousRelease(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'portaldesk-pglite-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  execFileSync('tar', ['-xJf', FIXTURE, '-C', dataDir]);
  return dataDir;
}

const start = (dataDir: string) =>
  startServer({
    config: {
      ...loadConfig({ PORT: '0', PORTALDESK_DEMO: 'false', PORTALDESK_DATA: dataDir }),
      databaseUrl: undefined,
    },
    logger: pino({ level: 'silent' }),
  });

async function signIn(server: RunningServer, login: string) {
  const res = await localhostFetch(`http://acme.localhost:${server.port}${DESKTOP_LOGIN_PATH}`, {
    method: 'POST',
    body: new URLSearchParams({ action: 'login', login, password: DEMO_PASSWORD, json: 'y' }),
  });
  assert.equal(res.status, 200, `${login} signs in with the password set before the move`);
  const { bitrixSessionId } = (await res.json()) as { bitrixSessionId: string };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return async (method: string, params: Record<string, unknown> = {}) => {
    const answer = await localhostFetch(`http://acme.localhost:${server.port}/rest/${method}.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, [CSRF_HEADER]: bitrixSessionId },
      body: JSON.stringify(params),
    });
    return (await answer.json()) as { result: never; error?: string };
  };
}

test("the earlier engine's data: the server refuses to start and names the command; the command moves everything", async () => {
  const dataDir = dataDirOfPreviousRelease();
  await assert.rejects(start(dataDir), (error: unknown) => {
    assert.ok(error instanceof EarlierEngineDataError);
    assert.match(error.message, /portaldesk storage import-pglite/);
    return true;
  });
  assert.ok(!existsSync(join(dataDir, 'postgres')), 'no empty cluster was made beside the old data');

  const cli = await AdminCliFixture.create();
  cleanups.push(() => cli.close());
  const own = { DATABASE_URL: undefined, PORTALDESK_DATA: dataDir };
  const refused = await cli.run(['portal', 'list'], '', own);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /portaldesk storage import-pglite/, 'every other command says the same');

  const moved = await cli.run(['storage', 'import-pglite'], '', own);
  assert.equal(moved.code, 0, moved.stderr);
  assert.match(moved.stdout, /Imported \d+ rows in \d+ tables \(data at migration 10\)/);
  assert.ok(
    readdirSync(dataDir).some((name) => name.startsWith('pglite-imported-')),
    'the old folder is kept',
  );
  const again = await cli.run(['storage', 'import-pglite'], '', own);
  assert.equal(again.code, 1, 'nothing left to import');

  const server = await start(dataDir);
  try {
    const alice = await signIn(server, 'alice');
    const history = await alice('im.dialog.messages.get', { DIALOG_ID: 4 });
    const texts = (history.result as { messages: { id: number; text: string }[] }).messages.map((m) => m.text);
    assert.deepEqual(texts.sort(), [
      'Hello Dan, from the PGlite days',
      'Second message with ünïcode ✓',
      'Third: \'quotes\' and "double"',
    ]);
    const recent = await alice('im.recent.list');
    const titles = (recent.result as { items: { title: string }[] }).items.map((item) => item.title);
    assert.ok(titles.includes('Migration crew'), `the group chat is there: ${titles}`);
    const sent = await alice('im.message.add', { DIALOG_ID: 4, MESSAGE: 'after the move' });
    // After a sequence's recovery PostgreSQL may skip numbers; it never reuses one.
    assert.ok(
      typeof sent.result === 'number' && sent.result > 3,
      `new rows continue the old numbering: ${sent.result}`,
    );
    const dan = await signIn(server, 'dan');
    const unread = await dan('im.dialog.messages.get', { DIALOG_ID: 1 });
    assert.equal((unread.result as { messages: unknown[] }).messages.length, 4);
  } finally {
    await server.close();
  }
});

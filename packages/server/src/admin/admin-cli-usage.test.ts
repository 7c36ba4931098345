import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openDatabase } from '../storage/open-database.ts';
import { AdminCliFixture, type CliResult } from '../testing/admin-cli-fixture.ts';

// Wrong command lines and help, through the real `portaldesk` bin. All of these are refused
// before the database is opened (the ones that need a portal are in admin-cli.test.ts), and the
// data directory whose cluster another process holds.
let cli: AdminCliFixture;
before(async () => {
  cli = await AdminCliFixture.create();
});
after(() => cli.close());
const portaldesk = (args: string[]) => cli.run(args);

test('wrong command lines get a clear message on stderr and exit status 2', async () => {
  // These are refused before the database is opened, so they can run side by side.
  const withoutDatabase: [string[], RegExp][] = [
    [[], /^Usage: portaldesk <command>/],
    [['frobnicate'], /Unknown command "frobnicate"\. See: portaldesk help/],
    [['user'], /What to do with users: create, list, deactivate, activate, set-password, reset-2fa/],
    [
      ['user', 'create', '--portal', 'acme.example.com', '--bogus'],
      /Unknown option '--bogus'\. See: portaldesk user create --help/,
    ],
    [['user', 'list'], /Missing --portal/],
    [
      ['user', 'set-password', '--portal', 'acme.example.com', '--user', 'ann', 'hunter22'],
      /Unexpected argument 'hunter22'/,
    ],
    [['portal', 'create', '--domain', 'no spaces allowed', '--name', 'X'], /--domain no spaces allowed: /],
    [
      ['portal', 'create', '--domain', 'x.example.com', '--name', 'X', '--country', 'XX'],
      /--country XX: not a two-letter country code/,
    ],
    [
      ['user', 'create', '--portal', 'acme.example.com', '--first-name', 'Carl'],
      /Give the user a login: --email, --phone or --username/,
    ],
    [['user', 'create', '--portal', 'acme.example.com', '--first-name', 'C', '--email', 'c@'], /--email c@: /],
    [
      ['webhook', 'create', '--portal', 'acme.example.com', '--user', 'ann', '--scope', 'user;drop'],
      /--scope user;drop: a comma-separated list of scope names/,
    ],
  ];
  const results = await Promise.all(withoutDatabase.map(([args]) => portaldesk(args)));
  withoutDatabase.forEach(([args, message], i) => {
    const result = results[i] as CliResult;
    assert.equal(result.code, 2, `portaldesk ${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message, `portaldesk ${args.join(' ')}`);
    assert.equal(result.stdout, '');
  });
});

test('help lists every command and exits 0', async () => {
  const help = await portaldesk(['help']);
  assert.equal(help.code, 0);
  for (const command of [
    'portal create',
    'portal list',
    'user create',
    'user list',
    'user deactivate',
    'user set-password',
    'app create',
    'app list',
    'app rotate-secret',
    'app delete',
  ]) {
    assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
  }
});

// The cluster a server runs in its data directory is its own; a PostgreSQL server is shared by design.
test('refuses a data directory whose cluster a running server holds, and says what to do', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portaldesk-held-'));
  const held = await openDatabase({ dataDir });
  try {
    const result = await cli.run(['portal', 'list'], '', { DATABASE_URL: undefined, PORTALDESK_DATA: dataDir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`in use by another Portaldesk process \\(pid ${process.pid}\\)`));
    assert.match(result.stderr, /Stop that process first, or run Portaldesk on PostgreSQL/);
  } finally {
    await held.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

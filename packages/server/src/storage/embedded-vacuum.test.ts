import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pino from 'pino';
import type { Database } from './database.ts';
import { EmbeddedVacuum } from './embedded-vacuum.ts';
import { openPgliteDatabase } from './pglite-database.ts';

// The embedded engine itself, whichever back end the rest of the suite runs on: only it lacks autovacuum.
let db: Database;
before(async () => {
  db = await openPgliteDatabase(null);
  await db.exec(`
    CREATE TABLE chat_heads (id int PRIMARY KEY, last_message_id bigint NOT NULL);
    INSERT INTO chat_heads SELECT n, 0 FROM generate_series(1, 2000) AS n;
  `);
});
after(() => db.close());

const tableState = async () => {
  // Counters reach the statistics views when the next transaction ends.
  await db.query('SELECT pg_stat_force_next_flush()');
  await db.query('SELECT 1');
  const [row] = await db.query<{ tuples: number; dead: number; analysed: boolean }>(
    `SELECT c.reltuples::int AS tuples, s.n_dead_tup::int AS dead, s.last_analyze IS NOT NULL AS analysed
     FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = 'chat_heads'`,
  );
  return row;
};

test('a run reclaims the row versions that updates left and tells the planner the table size', async () => {
  // Each message moves its chat's head: every row gets new versions.
  for (let round = 1; round <= 3; round++) await db.query('UPDATE chat_heads SET last_message_id = $1', [round]);
  const before = await tableState();
  assert.equal(before?.analysed, false);
  assert.ok((before?.dead ?? 0) >= 2000, `dead row versions before: ${before?.dead}`);
  await new EmbeddedVacuum(db, pino({ level: 'silent' })).runOnce();
  const afterRun = await tableState();
  assert.equal(afterRun?.dead, 0);
  assert.equal(afterRun?.tuples, 2000);
  assert.equal(afterRun?.analysed, true);
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM chat_heads WHERE last_message_id = 3'), [
    { n: 2000 },
  ]);
});

test('started, it runs on its own until stopped', async () => {
  await db.exec('CREATE TABLE later (v int); INSERT INTO later SELECT generate_series(1, 100)');
  const stop = new EmbeddedVacuum(db, pino({ level: 'silent' })).start(50);
  try {
    const deadline = Date.now() + 10_000;
    let analysed = false;
    while (!analysed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const [row] = await db.query<{ analysed: boolean }>(
        "SELECT last_analyze IS NOT NULL AS analysed FROM pg_stat_user_tables WHERE relname = 'later'",
      );
      analysed = row?.analysed ?? false;
    }
    assert.ok(analysed, 'the table was analysed by the periodic run');
  } finally {
    stop();
  }
});

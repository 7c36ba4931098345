import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestStorage } from '../testing/test-storage.ts';
import { PLAN_CACHE_MODE } from './postgres-database.ts';

test('every connection plans generically and never JIT-compiles, on the managed cluster and on DATABASE_URL', async () => {
  const storage = await createTestStorage({ empty: true });
  const db = await storage.open({ maxConnections: 2 });
  try {
    // Two at once, so that both pool connections answer, not one twice.
    const settings = await Promise.all(
      [0, 1].map(() =>
        db.query<{ plan_cache_mode: string; jit: string }>(
          "SELECT current_setting('plan_cache_mode') AS plan_cache_mode, current_setting('jit') AS jit, pg_sleep(0.05)",
        ),
      ),
    );
    for (const [row] of settings) {
      assert.equal(row?.plan_cache_mode, PLAN_CACHE_MODE);
      assert.equal(row?.jit, 'off');
    }
  } finally {
    await db.close();
    await storage.drop();
  }
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fuzzServer } from '../testing/fuzz/server-fuzz.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

// Every REST method and sign-in form, driven with generated hostile input: never a 5xx, and the
// server still answers afterwards. A fixed seed and a few cases a target keep this quick and
// repeatable; `npm run fuzz` runs the same with a random seed and many more cases.

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

test('no generated input makes any REST method or sign-in form answer 5xx', async () => {
  const outcome = await fuzzServer(server, { seed: 1_301, runsPerTarget: 5 });
  for (const { name } of server.context.restMethods.all()) assert.ok(outcome.targets.includes(name), name);
  assert.ok(outcome.targets.includes('desktop sign-in'));
  const errors = server.logs.filter((line) => line.includes('"level":50'));
  assert.deepEqual(errors, [], 'nothing was logged as an error');
});

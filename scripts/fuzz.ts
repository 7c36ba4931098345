// Runs the server fuzz test for longer than `npm test` does, with a random seed (printed, so a
// failure can be replayed): `npm run fuzz -- [cases a target] [seed]`. Uses the embedded database,
// or PostgreSQL when DATABASE_URL is set, as the tests do.
import { fuzzServer, startTestServer } from '@portaldesk/server/testing';

const runsPerTarget = Number(process.argv[2] ?? 200);
const seed = process.argv[3] === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.argv[3]);
if (!Number.isInteger(runsPerTarget) || runsPerTarget < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [cases a target] [seed]');
  process.exit(2);
}
console.log(`fuzz: seed ${seed}, ${runsPerTarget} cases a target (replay: npm run fuzz -- ${runsPerTarget} ${seed})`);
const server = await startTestServer();
const statuses = new Map<string, Map<number, number>>();
const started = Date.now();
try {
  const outcome = await fuzzServer(server, {
    seed,
    runsPerTarget,
    onTarget: (name) => statuses.set(name, new Map()),
    onAnswer: (target, status) => {
      const counts = statuses.get(target);
      counts?.set(status, (counts.get(status) ?? 0) + 1);
    },
  });
  for (const [target, counts] of statuses) {
    const histogram = [...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
    console.log(`  ${target.padEnd(36)} ${histogram.join(' ')}`);
  }
  const errors = server.logs.filter((line) => line.includes('"level":50'));
  console.log(
    `fuzz: ${outcome.calls} requests to ${outcome.targets.length} targets in ${Math.round((Date.now() - started) / 1000)} s, none answered 5xx`,
  );
  if (errors.length > 0) {
    console.error(`but ${errors.length} errors were logged:\n${errors.slice(0, 5).join('\n')}`);
    process.exitCode = 1;
  }
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : '';
  console.error(`fuzz: FAILED with seed ${seed}\n${error instanceof Error ? error.message : String(error)}${cause}`);
  process.exitCode = 1;
} finally {
  await server.close();
}

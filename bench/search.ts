/**
 * Message search at scale: seeds 1,000,000 messages in 10,000 chats (in SQL, generate_series:
 * about a minute), then times `im.search.message.list` (every chat of the caller) and
 * `im.dialog.messages.search` (one chat) through the REST dispatcher, for people in several
 * chats, with words as people type them (common and rare, whole and half-typed). Prints
 * p50/p99/p99.9 of each, and the plan the server runs for the slowest query (EXPLAIN ANALYZE
 * of the generic plan, as the server prepares it).
 *
 *   npm run bench:search                       # the managed cluster, as the server runs it
 *   QUERIES=4000 npm run bench:search
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:search
 *
 * The chats are of three sizes, as in a company: 9,000 small (2 people, ~60 messages each),
 * 990 team chats (25 people, ~400 messages) and 10 big ones (500 people, ~6,400 messages).
 * Every person of the 2,000 is in about 24 chats.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type Database, systemClock } from '@portaldesk/server';
import { type AuthContext, createAppContext } from '@portaldesk/server/testing';
import pino from 'pino';
import { openBenchDatabase } from './bench-database.ts';

const QUERIES = Number(process.env.QUERIES ?? 2000);
const PEOPLE = 2000;
const SMALL_CHATS = 9000;
const TEAM_CHATS = 990;
const BIG_CHATS = 10;
const MESSAGES = 1_000_000;

/** Words of a multilingual company's chats; the first are the most common. */
const WORDS = (
  'the to and meeting please thanks report today tomorrow project release budget review call ' +
  'deadline customer invoice team update draft plan design feedback server deploy bug fix test ' +
  'contract price offer order delivery friday monday week sprint roadmap ticket issue question ' +
  'answer document slides presentation quarter numbers sales marketing campaign launch website ' +
  'kunde angebot rechnung besprechung morgen heute danke bitte lieferung vertrag überweisung ' +
  'встреча отчёт завтра сегодня спасибо пожалуйста договор счёт клиент проект ' +
  'réunion demain merci facture client café équipe livraison ' +
  'kubernetes postgres latency migration onboarding vacation holiday birthday lunch coffee pineapple'
).split(' ');

/**
 * CPU time (ms) the database's client backends have used so far, read from /proc: on a shared
 * machine, wall time says more about the neighbours than about the search; CPU time does not.
 */
async function databaseCpuMs(db: Database): Promise<number> {
  const backends = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
  );
  let ticks = 0;
  for (const { pid } of backends) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // A backend that ended meanwhile.
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

/** Seeds people, chats, members and messages in a few statements; returns the portal's id. */
async function seed(db: Database, portalId: number): Promise<void> {
  const words = `ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}]`;
  await db.exec(`
    INSERT INTO users (portal_id, first_name, last_name)
      SELECT ${portalId}, 'Person' || n, 'Bench' FROM generate_series(1, ${PEOPLE}) n;
    CREATE TEMP TABLE bench_people AS
      SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM users WHERE portal_id = ${portalId};
    INSERT INTO im_chats (portal_id, type, title)
      SELECT ${portalId}, 'C', 'Chat ' || n FROM generate_series(1, ${SMALL_CHATS + TEAM_CHATS + BIG_CHATS}) n;
    CREATE TEMP TABLE bench_chats AS
      SELECT id, row_number() OVER (ORDER BY id) - 1 AS n,
        CASE WHEN row_number() OVER (ORDER BY id) <= ${SMALL_CHATS} THEN 2
             WHEN row_number() OVER (ORDER BY id) <= ${SMALL_CHATS + TEAM_CHATS} THEN 25 ELSE 500 END AS size
      FROM im_chats WHERE portal_id = ${portalId};
    INSERT INTO im_chat_members (chat_id, user_id, portal_id)
      SELECT DISTINCT c.id, p.id, ${portalId}
      FROM bench_chats c CROSS JOIN LATERAL generate_series(0, c.size - 1) k
      JOIN bench_people p ON p.n = (c.n * 7919 + k * 104729) % ${PEOPLE};
  `);
  // Messages go in without the search index, which is built once afterwards (much faster).
  const [searchIndex] = await db.query<{ indexdef: string }>(
    `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'im_messages_chat_words'`,
  );
  if (!searchIndex) throw new Error('the search index im_messages_chat_words is missing');
  await db.exec('DROP INDEX im_messages_chat_words');
  const started = performance.now();
  // Each chat gets its share by size: 9,000 × 60, 990 × 400, 10 × 6,400 (≈ 1,000,000).
  await db.exec(`
    INSERT INTO im_messages (portal_id, chat_id, author_id, text, created_at)
    SELECT ${portalId}, c.id, m.user_id,
      array_to_string(ARRAY(
        SELECT (${words})[1 + floor(${WORDS.length} * power(random(), 2.5))::int]
        FROM generate_series(1, 3 + (g % 12)) w WHERE g IS NOT NULL
      ), ' '),
      now() - (interval '1 minute' * (${MESSAGES} - g))
    FROM (
      SELECT g, CASE
        WHEN g <= ${SMALL_CHATS * 60} THEN g % ${SMALL_CHATS}
        WHEN g <= ${SMALL_CHATS * 60 + TEAM_CHATS * 400} THEN ${SMALL_CHATS} + g % ${TEAM_CHATS}
        ELSE ${SMALL_CHATS + TEAM_CHATS} + g % ${BIG_CHATS} END AS chat_n
      FROM generate_series(1, ${MESSAGES}) g
    ) s
    JOIN bench_chats c ON c.n = s.chat_n
    JOIN LATERAL (SELECT user_id FROM im_chat_members WHERE chat_id = c.id OFFSET (s.g % 2) LIMIT 1) m ON true;
  `);
  const inserted = performance.now();
  await db.exec(`SET maintenance_work_mem = '256MB'`);
  await db.exec(searchIndex.indexdef);
  await db.exec('ANALYZE');
  console.log(
    `seeded ${MESSAGES.toLocaleString('en')} messages in ${((inserted - started) / 1000).toFixed(0)} s, search index built in ${((performance.now() - inserted) / 1000).toFixed(0)} s`,
  );
}

/** What a person types: one or two words, common or rare, sometimes half-typed. */
function queryText(n: number): string {
  const pick = () => WORDS[Math.floor(WORDS.length * Math.random() ** 1.5)] as string;
  const word = (w: string) => (n % 3 === 0 && [...w].length > 4 ? [...w].slice(0, 4).join('') : w);
  const first = word(pick());
  const text = n % 4 === 0 ? `${first} ${pick()}` : first;
  return [...text].length >= 3 ? text : `${text} ${pick()}`;
}

/** A search statement run, with its arguments and how long it took, to explain the slowest. */
interface Captured {
  sql: string;
  params: readonly unknown[];
  ms: number;
}

function literal(value: unknown): string {
  if (Array.isArray(value)) return `'{${value.join(',')}}'`;
  if (typeof value === 'number') return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
}

async function explain(db: Database, captured: Captured): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.exec('SET LOCAL plan_cache_mode = force_generic_plan');
    await tx.exec(`PREPARE bench_search AS ${captured.sql}`);
    const rows = await tx.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_search(${captured.params.map(literal).join(', ')})`,
    );
    await tx.exec('DEALLOCATE bench_search');
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

async function main() {
  const { db, label, close } = await openBenchDatabase();
  const context = createAppContext({ db, clock: systemClock, logger: pino({ level: 'silent' }) });
  const portal = await context.portals.create({ domain: 'bench.localhost', name: 'Bench' });
  await seed(db, portal.id);

  // People in several chats, some of them in a big one.
  const askers = await db.query<{ user_id: number; chats: number; chat_ids: number[] }>(
    `SELECT user_id, count(*)::int AS chats, array_agg(chat_id) AS chat_ids FROM im_chat_members
     WHERE portal_id = $1 GROUP BY user_id HAVING count(*) >= 3 ORDER BY user_id LIMIT 200`,
    [portal.id],
  );
  const auth = (userId: number): AuthContext => ({
    portal,
    userId,
    via: 'oauth',
    scopes: new Set(['im']),
    mayChangeState: true,
    credentialId: 'bench',
  });
  // Every statement of a search is noted with its arguments and time, so the slowest can be explained.
  let statements: Captured[] = [];
  const query = db.query.bind(db);
  (db as { query: Database['query'] }).query = async <Row>(sql: string, params?: readonly unknown[]) => {
    const started = performance.now();
    const rows = await query<Row>(sql, params);
    statements.push({ sql, params: params ?? [], ms: performance.now() - started });
    return rows;
  };

  async function run(kind: 'every chat' | 'one chat') {
    const latencies: number[] = [];
    let slowest = { ms: 0, statements: [] as Captured[], text: '' };
    let found = 0;
    let cpuBefore = { db: 0, node: process.cpuUsage() };
    for (let n = 0; n < QUERIES + 100; n++) {
      if (n === 100) cpuBefore = { db: await databaseCpuMs(db), node: process.cpuUsage() };
      const asker = askers[n % askers.length]!;
      const text = queryText(n);
      const params =
        kind === 'every chat'
          ? { SEARCH_MESSAGE: text, LIMIT: 20 }
          : { CHAT_ID: asker.chat_ids[n % asker.chat_ids.length], SEARCH_MESSAGE: text, LIMIT: 20 };
      const method = kind === 'every chat' ? 'im.search.message.list' : 'im.dialog.messages.search';
      statements = [];
      const started = performance.now();
      const answer = await context.dispatcher.invoke({ method, params, auth: auth(asker.user_id), ip: '127.0.0.1' });
      const ms = performance.now() - started;
      if (n < 100) continue; // warm-up: connections and prepared statements
      latencies.push(ms);
      found += (answer.result as { messages: unknown[] }).messages.length;
      if (ms > slowest.ms) slowest = { ms, statements, text };
    }
    const nodeCpu = process.cpuUsage(cpuBefore.node);
    const dbCpuPerSearch = ((await databaseCpuMs(db)) - cpuBefore.db) / QUERIES;
    const nodeCpuPerSearch = (nodeCpu.user + nodeCpu.system) / 1000 / QUERIES;
    latencies.sort((a, b) => a - b);
    console.log(
      `${method(kind)}: ${latencies.length} searches, p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, p99.9 ${percentile(latencies, 99.9).toFixed(2)} ms, max ${latencies.at(-1)?.toFixed(2)} ms (${(found / latencies.length).toFixed(1)} results a search)`,
    );
    console.log(
      `  CPU a search: ${dbCpuPerSearch.toFixed(1)} ms in PostgreSQL + ${nodeCpuPerSearch.toFixed(1)} ms in the server's code (what it costs on an idle machine, less the round trips)`,
    );
    return slowest;
  }
  const method = (kind: string) => (kind === 'every chat' ? 'im.search.message.list' : 'im.dialog.messages.search');

  console.log(
    `message search on ${label}: ${MESSAGES.toLocaleString('en')} messages, ${(SMALL_CHATS + TEAM_CHATS + BIG_CHATS).toLocaleString('en')} chats; ${askers.length} people asking, in ${Math.min(...askers.map((a) => a.chats))}–${Math.max(...askers.map((a) => a.chats))} chats each`,
  );
  const everywhere = await run('every chat');
  const inChat = await run('one chat');
  console.log(`load average now ${loadavg()[0]?.toFixed(1)} (the machine is shared: figures are noisy)`);
  for (const [kind, worst] of [
    ['every chat', everywhere],
    ['one chat', inChat],
  ] as const) {
    console.log(
      `\nthe slowest search of ${kind} ("${worst.text}", ${worst.ms.toFixed(1)} ms), statement by statement:`,
    );
    for (const statement of worst.statements) {
      console.log(`  ${statement.ms.toFixed(1)} ms  ${statement.sql.replace(/\s+/g, ' ').slice(0, 100)}…`);
    }
    for (const statement of worst.statements.filter((s) => s.sql.includes('to_tsquery'))) {
      console.log('its generic plan, run again:');
      console.log(await explain(db, statement));
    }
  }
  await close();
}

await main();

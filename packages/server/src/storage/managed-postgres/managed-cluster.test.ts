import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import pino from 'pino';
import { openPostgresDatabase } from '../postgres-database.ts';
import { clusterOsUser } from './cluster-os-user.ts';
import { DataDirectoryInUseError } from './data-directory-in-use-error.ts';
import { isAlive } from './leftover-postmaster.ts';
import { ManagedCluster } from './managed-cluster.ts';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function emptyDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portaldesk-cluster-'));
  dirs.push(dir);
  return dir;
}

const connect = async (cluster: ManagedCluster) => {
  const client = new pg.Client({ ...cluster.connection, database: 'postgres' });
  await client.connect();
  return client;
};

test('a first start creates the cluster in the data directory; it listens only on its socket, with a password', async () => {
  const dataDir = emptyDataDir();
  const cluster = await ManagedCluster.start({ dataDir, logger: pino({ level: 'silent' }) });
  const pid = cluster.pid;
  try {
    assert.equal(cluster.connection.host, join(dataDir, 'postgres'), 'the socket is in the data directory');
    assert.ok(readdirSync(join(dataDir, 'postgres')).includes('.s.PGSQL.5432'));
    assert.equal(statSync(join(dataDir, 'postgres')).mode & 0o777, 0o700);
    assert.equal(statSync(join(dataDir, 'postgres-password')).mode & 0o777, 0o600);
    const client = await connect(cluster);
    const setting = async (name: string) => (await client.query(`SHOW ${name}`)).rows[0][name];
    assert.equal(await setting('listen_addresses'), '', 'no TCP listener');
    assert.equal(await setting('password_encryption'), 'scram-sha-256');
    await client.end();
    const wrong = new pg.Client({ ...cluster.connection, password: 'not-the-password', database: 'postgres' });
    await assert.rejects(wrong.connect(), /password authentication failed/);
  } finally {
    await cluster.stop();
  }
  assert.ok(pid && !isAlive(pid), 'stopping the server stops the cluster');
});

// PostgreSQL refuses root; a server started as root (CI, containers) runs the cluster as `postgres`.
if (process.getuid?.() === 0) {
  test('as root, the cluster runs as the postgres system user, and a data directory it cannot reach is refused', async () => {
    const cluster = await ManagedCluster.start({ dataDir: emptyDataDir(), logger: pino({ level: 'silent' }) });
    try {
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${cluster.pid}/status`, 'utf8'))?.[1];
      assert.equal(Number(uid), clusterOsUser('postgres')?.uid);
    } finally {
      await cluster.stop();
    }
    const closed = emptyDataDir();
    await assert.rejects(
      ManagedCluster.start({ dataDir: join(closed, 'data'), logger: pino({ level: 'silent' }) }),
      new RegExp(`system user "postgres", who cannot enter ${closed}`),
    );
  });
}

test('durability is PostgreSQL default: fsync, synchronous commit and full page writes on', async () => {
  const cluster = await ManagedCluster.start({ dataDir: emptyDataDir(), logger: pino({ level: 'silent' }) });
  try {
    const client = await connect(cluster);
    for (const name of ['fsync', 'synchronous_commit', 'full_page_writes']) {
      assert.equal((await client.query(`SHOW ${name}`)).rows[0][name], 'on', name);
    }
    await client.end();
  } finally {
    await cluster.stop();
  }
});

test('a second cluster on the same data directory is refused while the first runs, with the owner named', async () => {
  const dataDir = emptyDataDir();
  const first = await ManagedCluster.start({ dataDir, logger: pino({ level: 'silent' }) });
  try {
    await assert.rejects(ManagedCluster.start({ dataDir, logger: pino({ level: 'silent' }) }), (error: unknown) => {
      assert.ok(error instanceof DataDirectoryInUseError);
      assert.match(error.message, new RegExp(`in use by another Portaldesk process \\(pid ${process.pid}\\)`));
      return true;
    });
    const client = await connect(first);
    assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1, 'the first one still serves');
    await client.end();
  } finally {
    await first.stop();
  }
  const again = await ManagedCluster.start({ dataDir, logger: pino({ level: 'silent' }) });
  await again.stop();
});

test('a killed cluster is noticed and logged, writes fail while it is down, and it comes back with every acknowledged write', async () => {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const cluster = await ManagedCluster.start({ dataDir: emptyDataDir(), logger });
  const db = await openPostgresDatabase({ connection: { ...cluster.connection, database: 'postgres' } });
  try {
    await db.exec('CREATE TABLE kept (id int PRIMARY KEY)');
    const acknowledged: number[] = [];
    let failed = 0;
    const killed = cluster.pid!;
    const restarted = () => lines.some((l) => l.msg.includes('restarted'));
    let afterRestart = 0;
    const deadline = Date.now() + 30_000;
    for (let id = 1; afterRestart < 20; id++) {
      if (id === 20) process.kill(killed, 'SIGKILL');
      try {
        await db.query('INSERT INTO kept VALUES ($1)', [id]);
        acknowledged.push(id);
      } catch {
        failed++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (restarted()) afterRestart++;
      assert.ok(Date.now() < deadline, 'the cluster came back');
    }
    assert.ok(failed > 0, 'writes failed while the cluster was down');
    assert.notEqual(cluster.pid, killed);
    assert.ok(
      lines.some((l) => l.level === 50 && l.msg.includes('stopped unexpectedly')),
      'the log says what happened',
    );
    const stored = (await db.query<{ id: number }>('SELECT id FROM kept ORDER BY id')).map((r) => r.id);
    assert.deepEqual(
      acknowledged.filter((id) => !stored.includes(id)),
      [],
      'every acknowledged write is stored',
    );
  } finally {
    await db.close();
    await cluster.stop();
  }
});

/**
 * The portal server for the desktop bench, in a process of its own so that its memory is not
 * counted as the desktop's: the real server on its default database with one portal, `users`
 * users (`user1`…) who will be the desktop's accounts, and `sender`, who writes to them. Prints
 * one JSON line `{ port, users: [{ id, login }], sender: { id, login } }` once listening, and runs
 * until its standard input closes.
 *
 *   npx tsx bench/desktop/bench-portal.ts <users> <password>
 */
import { Writable } from 'node:stream';
import { createLogger, loadConfig, startServer } from '@portaldesk/server';
import { hashPassword } from '@portaldesk/server/testing';
import { openBenchDatabase } from '../bench-database.ts';

const count = Number(process.argv[2] ?? 20);
const password = process.argv[3] ?? 'bench desktop password';
const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
// The sender writes far more often than a person does: lift the send limit.
const config = { ...loadConfig({ PORT: '0', PORTALDESK_DEMO: 'false', SEND_RATE_LIMIT: '100000/1' }), dataDir: '' };
const database = await openBenchDatabase();
const server = await startServer({ config, logger: createLogger('warn', discard), db: database.db });
const portal = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
const hash = await hashPassword(password);
const create = async (login: string, firstName: string, lastName: string) => {
  const user = await server.context.users.create(portal.id, { firstName, lastName, username: login });
  await server.context.users.setPasswordHash(portal.id, user.id, hash);
  return { id: user.id, login };
};
const users = [];
for (let n = 1; n <= count; n++) users.push(await create(`user${n}`, 'User', String(n)));
const sender = await create('sender', 'Sam', 'Sender');
process.stdout.write(`${JSON.stringify({ port: server.port, users, sender })}\n`);
process.stdin.resume();
process.stdin.once('end', async () => {
  await server.close();
  await database.close();
  process.exit(0);
});

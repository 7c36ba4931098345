import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from './logger.ts';

/** A stream that keeps what is written to it, as a terminal would show it. */
function screen() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

// What Fastify hands the request serializer: the raw URL carries a secret the route does not allow.
const request = {
  method: 'POST',
  url: '/rest/7/s3cretWebhookKey/user.current?auth=t0ken',
  ip: '127.0.0.1',
  headers: { host: 'acme.localhost:3000', cookie: 'PHPSESSID=c00kie' },
  params: { userId: '7', secret: 's3cretWebhookKey', method: 'user.current' },
  routeOptions: { url: '/rest/:userId/:secret/:method' },
};

test('in a terminal a request is one readable line, with its secrets still left out', async () => {
  const out = screen();
  const logger = createLogger('info', out.stream, true);
  logger.info({ req: request, res: { statusCode: 200 }, responseTime: 3.2 }, 'request completed');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const lines = out.text().trimEnd().split('\n');
  assert.equal(lines.length, 1, out.text());
  assert.match(
    lines[0] ?? '',
    /INFO.*request completed POST \/rest\/:userId\/:secret\/:method acme\.localhost:3000 → 200/,
  );
  assert.doesNotMatch(out.text(), /^\{/, 'not JSON');
  for (const secret of ['s3cretWebhookKey', 't0ken', 'c00kie']) assert.ok(!out.text().includes(secret), secret);
});

test('not in a terminal, each entry is one JSON object for log collectors', async () => {
  const out = screen();
  const logger = createLogger('info', out.stream);
  logger.info({ req: request, res: { statusCode: 200 } }, 'request completed');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const entry = JSON.parse(out.text()) as { msg: string; req: { method: string } };
  assert.equal(entry.msg, 'request completed');
  assert.equal(entry.req.method, 'POST');
});

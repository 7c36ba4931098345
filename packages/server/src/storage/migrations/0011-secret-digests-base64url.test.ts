import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SessionRevocations } from '../../auth/sessions/session-revocations.ts';
import { SessionService } from '../../auth/sessions/session-service.ts';
import { SessionStore } from '../../auth/sessions/session-store.ts';
import { systemClock } from '../../clock/clock.ts';
import { PortalStore } from '../../portals/portal-store.ts';
import { createTestStorage } from '../../testing/test-storage.ts';
import { IncomingWebhookStore } from '../../webhooks/incoming-webhook-store.ts';
import { migrate } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';

const hexDigest = (secret: string) => createHash('sha256').update(secret).digest('hex');

test('a session and a webhook stored with the old hex digests still work after the upgrade', async () => {
  const storage = await createTestStorage({ empty: true });
  const db = await storage.open();
  try {
    await migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 11),
    );
    const portal = await new PortalStore(db).create({ domain: 'acme.localhost', name: 'Acme' });
    // Written as that release wrote it: today's user store reads columns added since.
    const [user] = await db.query<{ id: number }>(
      `INSERT INTO users (portal_id, first_name, last_name, username) VALUES ($1, 'Ann', 'Lee', 'ann') RETURNING id`,
      [portal.id],
    );
    assert.ok(user);
    const sessionToken = randomBytes(32).toString('base64url');
    const webhookSecret = 'oldwebhooksecretoldwebhooksecret';
    const now = new Date();
    await db.query(
      `INSERT INTO sessions (id, portal_id, user_id, token_hash, created_at, last_seen_at, expires_at)
       VALUES ('old-session', $1, $2, $3, $4, $4, $5)`,
      [portal.id, user.id, hexDigest(sessionToken), now, new Date(now.getTime() + 3_600_000)],
    );
    await db.query(
      `INSERT INTO incoming_webhooks (portal_id, user_id, secret_hash, scopes) VALUES ($1, $2, $3, '{user}')`,
      [portal.id, user.id, hexDigest(webhookSecret)],
    );

    await migrate(db);

    const sessions = new SessionService(new SessionStore(db), systemClock, new SessionRevocations());
    assert.equal((await sessions.validate(portal.id, sessionToken))?.id, 'old-session');
    assert.equal((await new IncomingWebhookStore(db).findBySecret(portal.id, webhookSecret))?.userId, user.id);
  } finally {
    await db.close();
    await storage.drop();
  }
});

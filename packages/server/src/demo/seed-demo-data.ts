import { hashPassword } from '../auth/password-hasher.ts';
import { TwoFactorService } from '../auth/two-factor/two-factor-service.ts';
import type { Clock } from '../clock/clock.ts';
import { PortalStore } from '../portals/portal-store.ts';
import type { Database } from '../storage/database.ts';
import { joinedTransaction } from '../storage/joined-transaction.ts';
import { UserStore } from '../users/user-store.ts';
import { DEMO_PASSWORD, DEMO_PORTALS, DEMO_TOTP_SECRET } from './demo-data.ts';

/** Any constant works; it names the advisory lock that lets one of two starting processes seed. */
const DEMO_SEED_LOCK_KEY = 7_051_925;

/**
 * Seeds the demo portals into an empty database and says whether it did. Idempotent, and safe
 * when two processes start at once: the second waits on the lock, then finds portals and stops.
 * A database with any portal is never touched, so an admin's own portals are safe.
 */
export async function seedDemoData(db: Database, clock: Clock): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DEMO_SEED_LOCK_KEY]);
    const [row] = await tx.query<{ seeded: boolean }>('SELECT EXISTS (SELECT 1 FROM portals) AS seeded');
    if (row?.seeded) return false;
    const portals = new PortalStore(tx);
    const users = new UserStore(tx);
    const twoFactor = new TwoFactorService(joinedTransaction(tx), clock);
    for (const demo of DEMO_PORTALS) {
      const portal = await portals.create(demo);
      for (const person of demo.users) {
        const user = await users.create(portal.id, person);
        await users.setPasswordHash(portal.id, user.id, await hashPassword(DEMO_PASSWORD));
        if (person.totp) await twoFactor.enableWithSecret(portal.id, user.id, DEMO_TOTP_SECRET);
      }
    }
    return true;
  });
}

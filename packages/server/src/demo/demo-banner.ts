import { totpCode, totpUri } from '../auth/two-factor/totp.ts';
import type { PortalStore } from '../portals/portal-store.ts';
import { fullName } from '../users/user.ts';
import { DEMO_NETWORK_PROFILE, DEMO_PASSWORD, DEMO_PORTALS, DEMO_TOTP_SECRET, type DemoUser } from './demo-data.ts';

export interface DemoBannerOptions {
  portals: PortalStore;
  /** `http://acme.localhost:3000` for a portal's domain. */
  origin(domain: string): string;
  now: Date;
  /** Draw the secret as a QR code (only on a terminal: it is made of escape codes). */
  qrCode: boolean;
  /** The Network's address when this process serves it (the demo profile is seeded then). */
  networkUrl?: string;
}

/**
 * What a person needs to try the demo: the addresses, the accounts and the current one-time
 * code. Null when the demo portals are not in this database (it held other portals first).
 */
export async function demoBanner({
  portals,
  origin,
  now,
  qrCode,
  networkUrl,
}: DemoBannerOptions): Promise<string | null> {
  const first = DEMO_PORTALS[0];
  if (!first || !(await portals.findByDomain(first.domain))) return null;
  const totpUser = DEMO_PORTALS.flatMap((p) => p.users).find((u) => u.totp);
  const lines = ['', `Portaldesk demo. Every account's password: ${DEMO_PASSWORD}`];
  for (const portal of DEMO_PORTALS) {
    lines.push('', `  ${portal.name}  ${origin(portal.domain)}`);
    const width = Math.max(...portal.users.map((u) => u.email.length));
    for (const user of portal.users) lines.push(`    ${user.email.padEnd(width)}  ${describe(user, now)}`);
  }
  if (networkUrl) {
    lines.push(
      '',
      `  Network  ${networkUrl}`,
      `    ${DEMO_NETWORK_PROFILE.email}  ${DEMO_NETWORK_PROFILE.displayName}; a profile linked to Carol in every demo portal: "Sign in with Network"`,
    );
  }
  if (totpUser) {
    const uri = totpUri(DEMO_TOTP_SECRET, 'Portaldesk demo', totpUser.email);
    lines.push(
      '',
      `  ${totpUser.email} signs in with a one-time code. Add this secret to an authenticator app:`,
      `  ${DEMO_TOTP_SECRET}  (${uri})`,
    );
    if (qrCode) {
      // Loaded here, not at start: only a banner printed to a terminal draws the code.
      const { default: QRCode } = await import('qrcode');
      lines.push((await QRCode.toString(uri, { type: 'terminal', small: true })).trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}

function describe(user: DemoUser, now: Date): string {
  const also = [user.phone, user.username].filter(Boolean).join(', ');
  return [
    fullName(user),
    user.isAdmin ? 'admin' : '',
    also ? `also signs in as ${also}` : '',
    user.note ?? '',
    user.totp ? `one-time code now: ${totpCode(DEMO_TOTP_SECRET, now)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * The demo data seeded on the first start of an empty database (PORTALDESK_DEMO=true, the
 * default), and listed in the README. Every demo account has the same password.
 */
export const DEMO_PASSWORD = 'portaldesk-demo';

/**
 * Bob's second factor. Fixed and public on purpose, so that a person trying the demo can add it
 * to an authenticator app (the server prints it as a QR code too); never use it for real data.
 */
export const DEMO_TOTP_SECRET = 'PORTALDESKDEMOSECRETFORTOTPCODES';

/**
 * Carol's Network profile (same password as every demo account), linked to her accounts in
 * both demo portals: "Sign in with Network" on either portal or in the desktop login window.
 */
export const DEMO_NETWORK_PROFILE = { email: 'carol@example.com', displayName: 'Carol Davis' } as const;

export interface DemoPortal {
  domain: string;
  name: string;
  defaultCountry: string;
  users: DemoUser[];
}

export interface DemoUser {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
  username?: string;
  isAdmin?: boolean;
  /** Shown beside the account in the start-up banner. */
  note?: string;
  /** Signs in with a one-time code from DEMO_TOTP_SECRET after the password. */
  totp?: boolean;
}

export const DEMO_PORTALS: readonly DemoPortal[] = [
  {
    domain: 'acme.localhost',
    name: 'Acme Corporation',
    defaultCountry: 'US',
    users: [
      {
        firstName: 'Alice',
        lastName: 'Johnson',
        email: 'alice@example.com',
        phone: '+14155550101',
        username: 'alice',
        isAdmin: true,
      },
      { firstName: 'Bob', lastName: 'Smith', email: 'bob@example.com', phone: '+14155550102', totp: true },
      { firstName: 'Carol', lastName: 'Davis', email: 'carol@example.com', note: 'also in Globex' },
      { firstName: 'Dan', lastName: 'Miller', email: 'dan@example.com', username: 'dan' },
    ],
  },
  {
    domain: 'globex.localhost',
    name: 'Globex',
    defaultCountry: 'DE',
    users: [
      // The same person as in Acme, with the same e-mail: one Network profile, two portal accounts.
      { firstName: 'Carol', lastName: 'Davis', email: 'carol@example.com', isAdmin: true, note: 'also in Acme' },
      { firstName: 'Erik', lastName: 'Weber', email: 'erik@example.com', phone: '+493012345670' },
      { firstName: 'Frieda', lastName: 'Koch', email: 'frieda@example.com', username: 'frieda' },
    ],
  },
];

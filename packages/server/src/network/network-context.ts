import type { LoginRateLimits } from '../auth/login/login-rate-limits.ts';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import type { Clock } from '../clock/clock.ts';
import type { Database } from '../storage/database.ts';
import { NetworkClientStore } from './clients/network-client-store.ts';
import { EmailOutbox } from './email/email-outbox.ts';
import { EmailVerification } from './email/email-verification.ts';
import { SigningKeys } from './keys/signing-keys.ts';
import { LinkStore } from './links/link-store.ts';
import { PortalInvitations } from './links/portal-invitations.ts';
import { NetworkIssuer } from './network-issuer.ts';
import { AccessTokenStore } from './oauth/access-token-store.ts';
import { AuthorizationCodeStore } from './oauth/authorization-code-store.ts';
import { PortalReachability } from './portals/portal-reachability.ts';
import { ProfileSignIn } from './profiles/profile-sign-in.ts';
import { ProfileStore } from './profiles/profile-store.ts';
import { NetworkSessionStore } from './sessions/network-session-store.ts';

/** Everything the Network role uses. Cheap to build: keys are made on first use. */
export interface NetworkContext {
  domain: string;
  issuer: NetworkIssuer;
  clock: Clock;
  profiles: ProfileStore;
  signIn: ProfileSignIn;
  sessions: NetworkSessionStore;
  keys: SigningKeys;
  clients: NetworkClientStore;
  codes: AuthorizationCodeStore;
  tokens: AccessTokenStore;
  links: LinkStore;
  invitations: PortalInvitations;
  outbox: EmailOutbox;
  emailVerification: EmailVerification;
  reachability: PortalReachability;
}

export function createNetworkContext(options: {
  db: Database;
  clock: Clock;
  domain: string;
  issuer?: string | undefined;
  /** The portal sign-in's limiter (shared through Redis when configured); Network keys are prefixed. */
  limits: LoginRateLimits;
  hasher: PasswordHasher;
}): NetworkContext {
  const { db, clock } = options;
  const issuer = new NetworkIssuer(options.issuer);
  const profiles = new ProfileStore(db);
  const links = new LinkStore(db);
  const outbox = new EmailOutbox(db);
  return {
    domain: options.domain,
    issuer,
    clock,
    profiles,
    signIn: new ProfileSignIn(profiles, options.limits, options.hasher, clock),
    sessions: new NetworkSessionStore(db, clock),
    keys: new SigningKeys(db),
    clients: new NetworkClientStore(db),
    codes: new AuthorizationCodeStore(db, clock),
    tokens: new AccessTokenStore(db, clock),
    links,
    invitations: new PortalInvitations(db, links, outbox, issuer, clock),
    outbox,
    emailVerification: new EmailVerification(db, profiles, outbox, issuer, clock),
    reachability: new PortalReachability(),
  };
}

import { CSRF_HEADER } from '@portaldesk/protocol';
import fc from 'fast-check';
import { knownScopes } from '../../rest/methods/core-methods.ts';
import { createUserWithPassword } from '../auth-fixtures.ts';
import { authorizeAllowing, registerApp, requestToken } from '../oauth-fixtures.ts';
import { TestDesktop } from '../test-desktop.ts';
import type { TestServer } from '../test-server.ts';
import { type FuzzCall, type FuzzTarget, restTargets, signInTargets } from './fuzz-targets.ts';

export interface FuzzSettings {
  /** Replays a run exactly: each target's cases come from `seed` plus its index. */
  seed: number;
  runsPerTarget: number;
  /** Told each target's name as its turn comes. */
  onTarget?: (name: string) => void;
  /** Told every answer's status, e.g. to see which targets only ever refuse. */
  onAnswer?: (target: string, status: number) => void;
}

export interface FuzzOutcome {
  /** The names of what was driven: REST methods, forms, endpoints. */
  targets: string[];
  calls: number;
}

const DOMAIN = 'fuzz.localhost';
const ADMIN_LOGIN = 'fuzz-admin';
const ADMIN_PASSWORD = 'fuzz admin password 1';

/**
 * Drives every registered REST method of a running server, its Network's REST methods and every
 * sign-in form (desktop, OAuth, QR, Network) with generated hostile input, as an administrator's
 * session, a webhook with every scope, an OAuth token and no one. The property: no answer is a
 * 5xx and no request goes unanswered. Afterwards the server must still answer. Throws fast-check's
 * report (the seed, the shrunk request) at the first failure.
 */
export async function fuzzServer(server: TestServer, settings: FuzzSettings): Promise<FuzzOutcome> {
  const caller = new FuzzCaller(server);
  await caller.prepare();
  const targets: FuzzTarget[] = [...restTargets(server.context.restMethods.all()), ...signInTargets()];
  let calls = 0;
  for (const [index, target] of targets.entries()) {
    settings.onTarget?.(target.name);
    const property = fc.asyncProperty(target.calls, async (call) => {
      calls++;
      const { status, body } = await caller.send(call);
      settings.onAnswer?.(target.name, status);
      if (status >= 500) throw new Error(`${target.name} answered HTTP ${status}: ${body.slice(0, 300)}`);
    });
    await fc.assert(property, { seed: settings.seed + index, numRuns: settings.runsPerTarget });
  }
  await caller.stillAnswers();
  return { targets: targets.map((target) => target.name), calls };
}

/** Sends fuzz calls with the fixture's credentials; signs in again when a call ended the session. */
class FuzzCaller {
  private desktop: TestDesktop | null = null;
  private webhookBase = '';
  private accessToken = '';

  constructor(private readonly server: TestServer) {}

  /** A portal with an administrator (signed in), a member, a webhook and an OAuth token. */
  async prepare(): Promise<void> {
    const { context } = this.server;
    // Rate limits would answer 503 long before a fuzz run ends; the limits have tests of their own.
    for (const limiter of [context.restRateLimiter, context.oauthTokenLimiter]) {
      limiter.settings.burst = Number.MAX_SAFE_INTEGER;
    }
    const portal = await context.portals.create({ domain: DOMAIN, name: 'Fuzz' });
    const admin = await createUserWithPassword(
      this.server,
      portal.id,
      { firstName: 'Fuzz', lastName: 'Admin', username: ADMIN_LOGIN, email: 'admin@fuzz.test', isAdmin: true },
      ADMIN_PASSWORD,
    );
    await context.users.create(portal.id, { firstName: 'Fuzz', lastName: 'Member', username: 'fuzz-member' });
    const scopes = knownScopes(context.restMethods);
    this.webhookBase = (await context.webhooks.create({ portalId: portal.id, userId: admin.id, scopes })).path;
    const app = await registerApp(this.server, portal, scopes);
    const { headers } = await this.session();
    const location = await authorizeAllowing(this.server, portal, headers, { client_id: app.clientId });
    const { body: tokens } = await requestToken(this.server, portal, {
      grant_type: 'authorization_code',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code: location.searchParams.get('code') ?? '',
    });
    this.accessToken = tokens.access_token;
  }

  async send(call: FuzzCall): Promise<{ status: number; body: string }> {
    const origin = this.server.portalUrl(call.host === 'portal' ? DOMAIN : 'network.localhost');
    let path = call.path;
    const headers: Record<string, string> = { ...call.headers };
    if (call.body) {
      headers['content-type'] = call.body.type === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
    }
    if (call.auth === 'webhook') path = path.replace(/^\/rest\//, this.webhookBase);
    if (call.auth === 'token') path += `${path.includes('?') ? '&' : '?'}auth=${this.accessToken}`;
    if (call.auth === 'session') Object.assign(headers, (await this.session()).headers);
    const res = await this.server.fetch(`${origin}${path}`, {
      method: call.method,
      headers,
      redirect: 'manual',
      ...(call.body ? { body: call.body.text } : {}),
    });
    const body = await res.text();
    if (call.auth === 'session' && res.status === 401) this.desktop = null;
    return { status: res.status, body };
  }

  /** The administrator's session: the cookie and `sessid`, signing in again if a call ended it. */
  async session(): Promise<{ headers: Record<string, string> }> {
    if (!this.desktop) {
      const desktop = new TestDesktop(this.server, DOMAIN);
      const signedIn = await desktop.signIn(ADMIN_LOGIN, ADMIN_PASSWORD);
      if (signedIn.status !== 200) throw new Error(`the fuzz administrator cannot sign in: HTTP ${signedIn.status}`);
      this.desktop = desktop;
    }
    return { headers: { ...this.desktop.cookieHeader(), [CSRF_HEADER]: this.desktop.sessid ?? '' } };
  }

  /** The server answers as before: the webhook, the token and the session all still work. */
  async stillAnswers(): Promise<void> {
    for (const auth of ['webhook', 'token', 'session'] as const) {
      const { status, body } = await this.send({ host: 'portal', method: 'GET', path: '/rest/server.time.json', auth });
      if (status !== 200) throw new Error(`after the fuzz run, server.time by ${auth} answered ${status}: ${body}`);
    }
  }
}

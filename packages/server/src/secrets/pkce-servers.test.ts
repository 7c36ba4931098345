import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createProfile, exchangeCode, signInAndAuthorize } from '../network/testing/network-fixtures.ts';
import type { Portal } from '../portals/portal.ts';
import { authorizeAllowing, type RegisteredApp, registerApp, requestToken, signIn } from '../testing/oauth-fixtures.ts';
import { createPortalWithUsers } from '../testing/rest-fixtures.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { pkceS256Challenge } from './pkce.ts';

// The portal's OAuth and the Network's read a PKCE verifier by the same rule (secrets/pkce.ts).
let server: TestServer;
let portal: Portal;
let app: RegisteredApp;
let session: Record<string, string>;
const NETWORK_LOGIN = { login: 'ann@example.com', password: 'correct horse battery staple' };

before(async () => {
  server = await startTestServer();
  const acme = await createPortalWithUsers(server, 'acme.localhost', 1);
  portal = acme.portal;
  app = await registerApp(server, portal, ['user']);
  session = await signIn(server, portal, acme.users[0]!.id);
  await createProfile(server, { email: NETWORK_LOGIN.login, password: NETWORK_LOGIN.password, displayName: 'Ann' });
});
after(() => server.close());

/** A code for `challenge` on the portal, exchanged with `verifier`: the answer and a retry with `retry`. */
async function onPortal(challenge: string, verifier: string, retry: string) {
  const location = await authorizeAllowing(server, portal, session, {
    client_id: app.clientId,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const code = location.searchParams.get('code') ?? '';
  const exchange = (code_verifier: string) =>
    requestToken(server, portal, {
      grant_type: 'authorization_code',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code,
      code_verifier,
    });
  const first = await exchange(verifier);
  const second = await exchange(retry);
  return [first.status, first.body.error ?? 'ok', second.status, second.body.error ?? 'ok'];
}

async function onNetwork(challenge: string, verifier: string, retry: string) {
  const redirectUri = 'http://127.0.0.1:49152/callback';
  const { location } = await signInAndAuthorize(server, { redirectUri, challenge, state: 's' }, NETWORK_LOGIN);
  const code = location?.searchParams.get('code') ?? '';
  const exchange = async (codeVerifier: string) => {
    const res = await exchangeCode(server, { code, redirectUri, verifier: codeVerifier });
    return [res.status, res.status === 200 ? 'ok' : ((await res.json()) as { error: string }).error] as const;
  };
  return [...(await exchange(verifier)), ...(await exchange(retry))];
}

test('the portal and the Network give a verifier the same answer, and a refused one spends the code', async () => {
  const good = 'g'.repeat(43);
  const cases: { verifier: string; challenge: string; first: [number, string] }[] = [
    // Right length and alphabet, but not the one the challenge was made from.
    { verifier: 'x'.repeat(43), challenge: pkceS256Challenge(good), first: [400, 'invalid_grant'] },
    // Malformed verifiers, each with the challenge made from it: refused for their form alone.
    ...['v'.repeat(42), 'v'.repeat(129), `${'v'.repeat(42)}+`, `${'v'.repeat(42)}=`, `${'v'.repeat(42)}é`].map(
      (verifier) => ({
        verifier,
        challenge: pkceS256Challenge(verifier),
        first: [400, 'invalid_grant'] as [number, string],
      }),
    ),
  ];
  for (const { verifier, challenge, first } of cases) {
    // The retry is the right verifier for the first case: a code is one guess.
    const retry = challenge === pkceS256Challenge(good) ? good : verifier;
    const expected = [...first, 400, 'invalid_grant'];
    assert.deepEqual(await onPortal(challenge, verifier, retry), expected, `portal, verifier ${verifier.length}`);
    assert.deepEqual(await onNetwork(challenge, verifier, retry), expected, `Network, verifier ${verifier.length}`);
  }
});

test('verifiers of 43 and of 128 characters of the whole unreserved alphabet work on both', async () => {
  for (const verifier of ['a'.repeat(43), `${'Az09'.repeat(31)}-._~`]) {
    const challenge = pkceS256Challenge(verifier);
    const portalAnswer = await onPortal(challenge, verifier, verifier);
    assert.deepEqual(portalAnswer.slice(0, 2), [200, 'ok'], `portal, verifier ${verifier.length}`);
    const networkAnswer = await onNetwork(challenge, verifier, verifier);
    assert.deepEqual(networkAnswer.slice(0, 2), [200, 'ok'], `Network, verifier ${verifier.length}`);
  }
});

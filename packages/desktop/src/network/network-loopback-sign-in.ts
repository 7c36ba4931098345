import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DESKTOP_NETWORK_CLIENT_ID,
  DESKTOP_NETWORK_REDIRECT_PATH,
  DESKTOP_NETWORK_SCOPE,
  type NetworkTokenResponse,
  NetworkTokenResponseSchema,
} from '@portaldesk/protocol';
import type { DesktopFetch } from '../portal/desktop-http-client.ts';
import { idTokenMatches } from './network-id-token.ts';

/** Why a Network sign-in did not finish; the message is written for the login window. */
export class NetworkSignInError extends Error {
  readonly userFacing = true as const;

  constructor(
    readonly code:
      | 'NETWORK_SIGN_IN_STATE'
      | 'NETWORK_SIGN_IN_ISSUER'
      | 'NETWORK_SIGN_IN_ID_TOKEN'
      | 'NETWORK_SIGN_IN_DENIED'
      | 'NETWORK_SIGN_IN_TIMEOUT'
      | 'NETWORK_UNREACHABLE',
    message: string,
  ) {
    super(message);
  }
}

/** How long the person has to sign in on the Network's page. */
const SIGN_IN_TIMEOUT_MS = 10 * 60_000;

export interface LoopbackSignIn {
  /** The Network's own sign-in page, to open in an app window. */
  authorizeUrl: string;
  /** The code's exchange, once the Network sent the browser back to the loopback port. */
  tokens: Promise<NetworkTokenResponse>;
  /** Stops listening (the window was closed; the person gave up). */
  cancel(): void;
}

/**
 * "Sign in with Network profile" as RFC 8252 asks of a native app: the desktop never sees the
 * Network password. It listens on an ephemeral port of 127.0.0.1 (not `localhost`, §8.3), sends
 * the person to the Network's page with PKCE S256, `state` and `nonce`, takes the code from the
 * redirect only when `state` is the one it made and `iss` is the Network it asked (RFC 9207),
 * exchanges it with the verifier, which never left this process, and keeps the tokens only when
 * the ID token is the Network's answer to this very sign-in (signature, audience, expiry, nonce).
 */
export async function startLoopbackSignIn(
  issuer: string,
  fetch: DesktopFetch,
  timeoutMs = SIGN_IN_TIMEOUT_MS,
): Promise<LoopbackSignIn> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${DESKTOP_NETWORK_REDIRECT_PATH}`;
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: DESKTOP_NETWORK_CLIENT_ID,
    redirect_uri: redirectUri,
    scope: DESKTOP_NETWORK_SCOPE,
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  let cancel: () => void = () => {};
  const code = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new NetworkSignInError('NETWORK_SIGN_IN_TIMEOUT', 'The sign-in took too long')),
      timeoutMs,
    );
    const finish = (outcome: string | Error) => {
      clearTimeout(timer);
      server.close();
      server.closeAllConnections();
      if (typeof outcome === 'string') resolve(outcome);
      else reject(outcome);
    };
    cancel = () => finish(new NetworkSignInError('NETWORK_SIGN_IN_DENIED', 'The sign-in was cancelled'));
    server.on('request', (request, response) => {
      const url = new URL(request.url ?? '/', redirectUri);
      if (url.pathname !== DESKTOP_NETWORK_REDIRECT_PATH) {
        response.writeHead(404).end();
        return;
      }
      const answer = checkRedirect(url.searchParams, { state, issuer });
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'",
        'cache-control': 'no-store',
      });
      response.end(closingPage(typeof answer === 'string'));
      // A forged redirect (wrong state) is answered but does not end the wait for the real one.
      if (answer instanceof NetworkSignInError && answer.code === 'NETWORK_SIGN_IN_STATE') return;
      finish(answer);
    });
  });
  return {
    authorizeUrl: `${issuer}/oauth/authorize/?${query}`,
    tokens: code
      .then((value) => exchangeCode(issuer, fetch, { code: value, redirectUri, verifier }))
      .then(async (tokens) => {
        if (!(await idTokenMatches(tokens.id_token, { issuer, nonce, fetch }))) {
          throw new NetworkSignInError('NETWORK_SIGN_IN_ID_TOKEN', 'The Network’s answer could not be verified');
        }
        return tokens;
      }),
    cancel: () => cancel(),
  };
}

function checkRedirect(
  params: URLSearchParams,
  expected: { state: string; issuer: string },
): string | NetworkSignInError {
  if (!sameSecret(params.get('state') ?? '', expected.state)) {
    return new NetworkSignInError('NETWORK_SIGN_IN_STATE', 'The answer is not for the sign-in this app started');
  }
  if (params.get('iss') !== expected.issuer) {
    return new NetworkSignInError('NETWORK_SIGN_IN_ISSUER', 'The answer did not come from the Network this app asked');
  }
  const code = params.get('code');
  if (!code)
    return new NetworkSignInError('NETWORK_SIGN_IN_DENIED', params.get('error_description') ?? 'Sign-in refused');
  return code;
}

async function exchangeCode(
  issuer: string,
  fetch: DesktopFetch,
  input: { code: string; redirectUri: string; verifier: string },
): Promise<NetworkTokenResponse> {
  let response: Awaited<ReturnType<DesktopFetch>>;
  try {
    response = await fetch(`${issuer}/oauth/token/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: input.code,
        redirect_uri: input.redirectUri,
        client_id: DESKTOP_NETWORK_CLIENT_ID,
        code_verifier: input.verifier,
      }).toString(),
    });
  } catch {
    throw new NetworkSignInError('NETWORK_UNREACHABLE', 'The Network cannot be reached');
  }
  const tokens = NetworkTokenResponseSchema.safeParse(await response.json().catch(() => null));
  if (response.status !== 200 || !tokens.success) {
    throw new NetworkSignInError('NETWORK_SIGN_IN_DENIED', 'The Network refused the sign-in');
  }
  return tokens.data;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function closingPage(signedIn: boolean): string {
  const text = signedIn ? 'Signed in. Return to Portaldesk.' : 'The sign-in did not go through. Return to Portaldesk.';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portaldesk</title></head><body><main><h1>${text}</h1></main></body></html>`;
}

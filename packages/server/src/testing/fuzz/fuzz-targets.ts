import { DESKTOP_LOGIN_PATH, QR_SIGN_IN_BASE_PATH } from '@portaldesk/protocol';
import fc from 'fast-check';
import qs from 'qs';
import type { z } from 'zod';
import { NETWORK_DESKTOP_LOGIN_PATH } from '../../network/portal-side/network-desktop-login-routes.ts';
import { networkRestMethods } from '../../network/rest/network-rest-methods.ts';
import type { RestMethod } from '../../rest/rest-method.ts';
import { headerText, hostileParams, hostileText, jsonBody, withHostileFields } from './hostile-values.ts';

/** One request of a fuzz run, described so that a failure can be read and replayed. */
export interface FuzzCall {
  host: 'portal' | 'network';
  method: 'GET' | 'POST';
  /** Path and query string. */
  path: string;
  /** The fixture's credentials that go with it; a webhook call has its path rewritten. */
  auth: 'none' | 'session' | 'webhook' | 'token';
  body?: { type: 'json' | 'form'; text: string };
  headers?: Record<string, string>;
}

/** Something the fuzz run drives: a REST method, a sign-in form, an OAuth or QR endpoint. */
export interface FuzzTarget {
  name: string;
  calls: fc.Arbitrary<FuzzCall>;
}

/** Parameter names every Bitrix24-style method may be offered, beside its own. */
const COMMON_NAMES = ['ID', 'FILTER', 'start', 'LIMIT', 'OFFSET', 'DIALOG_ID', 'USER_ID'];

/** Every registered REST method of the portal, and the Network's own REST methods. */
export function restTargets(methods: readonly RestMethod[]): FuzzTarget[] {
  const portal = methods.map((method) =>
    restMethodTarget(method.name, ownParamNames(method.params), 'portal', ['session', 'webhook', 'token', 'none']),
  );
  const network = networkRestMethods().map((method) =>
    restMethodTarget(method.name, ownParamNames(method.params), 'network', ['none']),
  );
  return [...portal, ...network];
}

/** The sign-in forms and the OAuth, QR and Network sign-in endpoints. */
export function signInTargets(): FuzzTarget[] {
  // The fixture's administrator is never the one guessed at: a locked account would end the run.
  const loginForm = (nesting: { deep: boolean }) =>
    withHostileFields(
      {
        action: fc.constant('login'),
        login: fc.constantFrom('fuzz-member', 'nobody@fuzz.test', '+15550001234'),
        password: fc.constant('not the password'),
        otp: fc.constantFrom(undefined, '123456', 'ABCD-EFGH'),
        renew_password: fc.constantFrom(undefined, 'y'),
        user_os_mark: fc.constantFrom(undefined, 'fuzz-machine'),
        user_account: fc.constantFrom(undefined, 'fuzz'),
        json: fc.constant('y'),
      },
      nesting,
    );
  const tokenRequest = (nesting: { deep: boolean }) =>
    withHostileFields(
      {
        grant_type: fc.constantFrom('authorization_code', 'refresh_token'),
        client_id: fc.constant('app.0123456789abcdef'),
        client_secret: fc.constant('s'.repeat(48)),
        code: fc.constant('c'.repeat(32)),
        refresh_token: fc.constant('r'.repeat(32)),
        redirect_uri: fc.constantFrom(undefined, 'https://app.example.com/callback'),
        code_verifier: fc.constantFrom(undefined, 'v'.repeat(43)),
      },
      nesting,
    );
  const qrStart = (nesting: { deep: boolean }) =>
    withHostileFields(
      {
        publicKey: fc.constant('A'.repeat(43)),
        secretHash: fc.constant('B'.repeat(43)),
        deviceName: fc.constant('Fuzz laptop'),
        os: fc.constant('Linux'),
        user_os_mark: fc.constantFrom(undefined, 'fuzz-machine'),
        user_account: fc.constantFrom(undefined, 'fuzz'),
      },
      nesting,
    );
  const authorizeQuery = hostileParams(
    [
      'client_id',
      'state',
      'response_type',
      'redirect_uri',
      'scope',
      'code_challenge',
      'code_challenge_method',
      'nonce',
    ],
    { deep: false },
  );
  const qrAction = fc.constantFrom('', '/rotate', '/confirm', '/cancel', '/redeem');
  return [
    formTarget('desktop sign-in', 'portal', DESKTOP_LOGIN_PATH, loginForm),
    formTarget('Network desktop sign-in', 'portal', NETWORK_DESKTOP_LOGIN_PATH, (nesting) =>
      hostileParams(['assertion', 'user_os_mark', 'user_account'], nesting),
    ),
    formTarget('OAuth token', 'portal', '/oauth/token/', tokenRequest, { alsoGet: true }),
    queryTarget('OAuth authorize', 'portal', '/oauth/authorize/', authorizeQuery, 'session'),
    queryTarget('Network sign-in start', 'portal', '/network/signin', authorizeQuery, 'none'),
    queryTarget('Network link start', 'portal', '/network/link', authorizeQuery, 'session'),
    queryTarget(
      'Network sign-in callback',
      'portal',
      '/network/callback',
      hostileParams(['code', 'state', 'error'], { deep: false }),
      'session',
    ),
    formTarget('QR sign-in start', 'portal', QR_SIGN_IN_BASE_PATH, qrStart, { jsonOnly: true }),
    {
      name: 'QR sign-in attempt',
      calls: fc
        .record({
          id: hostileText,
          action: qrAction,
          authorization: headerText,
          body: hostileParams(['checkCode', 'redeemCode'], { deep: true }),
        })
        .map(({ id, action, authorization, body }) => ({
          host: 'portal',
          method: action === '' ? 'GET' : 'POST',
          path: `${QR_SIGN_IN_BASE_PATH}/${percentEncode(id)}${action}`,
          auth: 'none',
          headers: { authorization },
          ...(action === '' ? {} : { body: json(body) }),
        })),
    },
    formTarget(
      'Network password sign-in',
      'network',
      '/network/login/',
      (nesting) => hostileParams(['login', 'password', 'otp'], nesting),
      { jsonOnly: true },
    ),
    formTarget('Network sign-out', 'network', '/network/logout/', (nesting) => hostileParams(['sessid'], nesting)),
    formTarget('Network OAuth token', 'network', '/oauth/token/', tokenRequest),
    formTarget('Network OAuth revoke', 'network', '/oauth/revoke/', (nesting) =>
      hostileParams(['token', 'token_type_hint'], nesting),
    ),
    queryTarget('Network OAuth authorize', 'network', '/oauth/authorize/', authorizeQuery, 'none'),
    formTarget('Network OAuth consent', 'network', '/oauth/authorize/', () => authorizeQuery),
  ];
}

function restMethodTarget(
  name: string,
  knownNames: readonly string[],
  host: FuzzCall['host'],
  auths: readonly FuzzCall['auth'][],
): FuzzTarget {
  const auth = fc.constantFrom(...auths);
  const path = `/rest/${name}.json`;
  const viaJson = fc
    .record({ auth, params: hostileParams(knownNames, { deep: true }, COMMON_NAMES) })
    .map(({ auth, params }): FuzzCall => ({ host, method: 'POST', path, auth, body: json(params) }));
  const viaForm = fc
    .record({ auth, params: hostileParams(knownNames, { deep: false }, COMMON_NAMES) })
    .map(({ auth, params }): FuzzCall => ({ host, method: 'POST', path, auth, body: form(params) }));
  const viaQuery = fc
    .record({ auth, params: hostileParams(knownNames, { deep: false }, COMMON_NAMES) })
    .map(({ auth, params }): FuzzCall => ({ host, method: 'GET', path: `${path}?${qs.stringify(params)}`, auth }));
  return { name, calls: fc.oneof(viaJson, viaForm, viaQuery) };
}

/** Fields of a form, given how deep its values may nest (deep only in a JSON body). */
type FormFields = (nesting: { deep: boolean }) => fc.Arbitrary<Record<string, unknown>>;

function formTarget(
  name: string,
  host: FuzzCall['host'],
  path: string,
  fields: FormFields,
  options: { jsonOnly?: boolean; alsoGet?: boolean } = {},
): FuzzTarget {
  const post = (type: 'json' | 'form') =>
    fields({ deep: type === 'json' }).map(
      (values): FuzzCall => ({
        host,
        method: 'POST',
        path,
        auth: 'none',
        body: type === 'json' ? json(values) : form(values),
      }),
    );
  const calls = [post('json')];
  if (!options.jsonOnly) calls.push(post('form'));
  if (options.alsoGet) {
    const viaQuery = fields({ deep: false }).map(
      (values): FuzzCall => ({ host, method: 'GET', path: `${path}?${qs.stringify(values)}`, auth: 'none' }),
    );
    calls.push(viaQuery);
  }
  return { name, calls: fc.oneof(...calls) };
}

function queryTarget(
  name: string,
  host: FuzzCall['host'],
  path: string,
  query: fc.Arbitrary<Record<string, unknown>>,
  auth: FuzzCall['auth'],
): FuzzTarget {
  return {
    name,
    calls: query.map((values): FuzzCall => ({ host, method: 'GET', path: `${path}?${qs.stringify(values)}`, auth })),
  };
}

const json = (value: unknown): FuzzCall['body'] => ({ type: 'json', text: jsonBody(value) });
const form = (value: unknown): FuzzCall['body'] => ({ type: 'form', text: qs.stringify(value) });

/** Any text as one path segment, byte by byte (a lone surrogate becomes U+FFFD, as on the wire). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

/** The parameter names a method's schema declares (when it is an object schema). */
function ownParamNames(schema: z.ZodType): string[] {
  return Object.keys((schema as unknown as { shape?: Record<string, unknown> }).shape ?? {});
}

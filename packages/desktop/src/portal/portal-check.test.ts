import assert from 'node:assert/strict';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '@portaldesk/server/testing';
import { selfSignedCertificate } from '../testing/test-certificate.ts';
import { sendHtml, startTestWebServer, type TestWebServer } from '../testing/test-web-server.ts';
import { createDesktopFetch } from './desktop-http-client.ts';
import { checkPortal } from './portal-check.ts';
import { PortalError } from './portal-errors.ts';

let portalServer: TestServer;
let website: TestWebServer;
const certificate = selfSignedCertificate('secure.localhost');
const tls = createHttpsServer({ cert: certificate.cert, key: certificate.key }, (_request, response) => {
  response.writeHead(401, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' }));
});
const fetch = createDesktopFetch();
const online = () => true;

before(async () => {
  portalServer = await startTestServer();
  await portalServer.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  website = await startTestWebServer({
    '/rest/server.time.json': (request, response) => {
      if (request.headers.host?.startsWith('moved.localhost')) {
        response.writeHead(301, { location: `http://acme.localhost:${portalServer.port}/rest/server.time.json` }).end();
        return;
      }
      sendHtml(response, '<h1>Welcome to our shop</h1>');
    },
  });
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  await portalServer?.close();
  await website?.close();
  tls.closeAllConnections();
  await new Promise((resolve) => tls.close(resolve));
});

function rejectsWith(code: string, promise: Promise<unknown>) {
  return assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof PortalError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}

test('a portal address as typed is checked and normalised', async () => {
  const portal = await checkPortal(`  ACME.localhost:${portalServer.port}/ `, { fetch, online });
  assert.deepEqual(portal, {
    origin: `http://acme.localhost:${portalServer.port}`,
    hostname: 'acme.localhost',
    host: `acme.localhost:${portalServer.port}`,
  });
});

test('an address the portal server does not serve is not a portal', async () => {
  await rejectsWith('NOT_A_PORTAL', checkPortal(`other.localhost:${portalServer.port}`, { fetch, online }));
});

test('an ordinary website is not a portal', async () => {
  await rejectsWith('NOT_A_PORTAL', checkPortal(`shop.localhost:${website.port}`, { fetch, online }));
});

test('a name that does not exist is "no such address"', async () => {
  const error = checkPortal('no-such-portal.invalid', { fetch, online });
  await rejectsWith('PORTAL_NOT_FOUND', error);
  await error.catch((e: PortalError) => assert.match(e.message, /There is no no-such-portal\.invalid/));
});

test('an address where nothing listens does not answer', async () => {
  const closed = await startTestWebServer({});
  await closed.close();
  await rejectsWith('PORTAL_UNREACHABLE', checkPortal(`acme.localhost:${closed.port}`, { fetch, online }));
});

test('an untrusted certificate stops the check before any password is sent', async () => {
  const port = (tls.address() as AddressInfo).port;
  await rejectsWith('PORTAL_CERTIFICATE_PROBLEM', checkPortal(`https://secure.localhost:${port}`, { fetch, online }));
  // The same server passes once its certificate is trusted: it was the certificate that failed.
  const trusting = createDesktopFetch({ ca: [certificate.cert] });
  const portal = await checkPortal(`https://secure.localhost:${port}`, { fetch: trusting, online });
  assert.equal(portal.origin, `https://secure.localhost:${port}`);
});

test('without a network the user is told they are offline', async () => {
  // What the resolver answers when no DNS server can be reached.
  const offlineFetch = createDesktopFetch({
    lookup: ((_host: string, _options: unknown, callback: (error: NodeJS.ErrnoException) => void) => {
      callback(Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }));
    }) as never,
  });
  await rejectsWith('OFFLINE', checkPortal('acme.example.com', { fetch: offlineFetch, online: () => false }));
});

test('a redirect to another host is not followed: the password could end up there', async () => {
  await rejectsWith('NOT_A_PORTAL', checkPortal(`moved.localhost:${website.port}`, { fetch, online }));
});

test('a typing mistake is caught before any request', async () => {
  await rejectsWith('PORTAL_ADDRESS_INVALID', checkPortal('ftp://acme.example.com', { fetch, online }));
});

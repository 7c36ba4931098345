import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

export interface UiAssetServer {
  /** `http://127.0.0.1:<port>/`: the origin the bridge accepts calls from. */
  baseUrl: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** The same policy the portal server gives the web UI: nothing from another origin, no inline script. */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // Account pictures come from the portals.
    "img-src 'self' blob: data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * Serves the built UI (`packages/ui/dist`) to the desktop's own windows from a loopback port.
 * The files are the same public assets the portal server serves; what the windows can do lives
 * in the bridge, which no page served from here gets unless the desktop attached it. Requests
 * for any other Host are refused, so a web page cannot reach this server through DNS rebinding.
 */
export async function startUiAssetServer(distDir: string): Promise<UiAssetServer> {
  let host = '';
  const server = createServer((request, response) => serve(distDir, host, request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `http://${host}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serve(distDir: string, host: string, request: IncomingMessage, response: ServerResponse): void {
  if (request.headers.host !== host) return void response.writeHead(421).end();
  if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405).end();
  const file = fileFor(distDir, request.url ?? '/');
  if (!file) return void response.writeHead(404, SECURITY_HEADERS).end('not found');
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
  });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file).pipe(response);
}

/** The file a URL names inside `distDir`, or null; never a path outside it. */
function fileFor(distDir: string, url: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  const relative = normalize(path).replace(/^([/\\])+/, '');
  if (relative === '' || relative.startsWith('..') || relative.includes('\0')) return null;
  const full = join(distDir, relative);
  try {
    return statSync(full).isFile() ? full : null;
  } catch {
    return null;
  }
}

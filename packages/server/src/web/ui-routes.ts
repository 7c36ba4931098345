import { existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isNetworkHost } from '../network/network-host.ts';
import { UI_SECURITY_HEADERS } from './web-security-headers.ts';

/** Paths that belong to the APIs; an unknown one there is a 404, never a page. */
const API_PREFIXES = ['/rest/', '/desktop_app/', '/oauth/', '/pull/', '/bitrix/', '/network/'];
/** Vite names every asset by its content hash, so an asset never changes under its name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface UiRoutesOptions {
  /** The built UI (`packages/ui/dist`). */
  distDir: string;
  /** The Network's host when this process runs the Network: it gets the Network's pages. */
  networkDomain: string | null;
}

/**
 * The built web UI for every portal host: the portal web interface at `/` and the mobile web app
 * at `/m/`; on the Network's host, the Network's pages (sign-in, profile). Client-side routes fall
 * back to their entry's page; hashed assets are cached forever, pages never.
 */
export async function uiRoutes(app: FastifyInstance, { distDir, networkDomain }: UiRoutesOptions): Promise<void> {
  const built = existsSync(join(distDir, 'index.html'));
  if (!built) app.log.warn({ distDir }, 'web UI not built; run `npm run build -w @portaldesk/ui`');
  await app.register(fastifyStatic, { root: distDir, serve: false, cacheControl: false });

  app.addHook('onSend', async (_request, reply) => {
    reply.headers(UI_SECURITY_HEADERS);
  });

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const onNetwork = networkDomain !== null && isNetworkHost(request.headers.host, networkDomain);
    if (!request.portal && !onNetwork) {
      return reply.status(404).type('text/plain').send('There is no portal at this address');
    }
    if (!built) return reply.status(503).type('text/plain').send('The web interface is not built');
    const path = decodedPath(request);
    // The mobile app's router and manifest scope are `/m/`; `/m` must land inside that scope.
    if (path === '/m') return reply.redirect('/m/');
    if (path === null || API_PREFIXES.some((prefix) => path.startsWith(prefix))) return reply.callNotFound();
    const file = existingFile(distDir, path);
    if (file) {
      reply.header('cache-control', file.startsWith('assets/') ? IMMUTABLE : 'no-cache');
      return reply.sendFile(file);
    }
    if (!acceptsHtml(request)) return reply.callNotFound();
    reply.header('cache-control', 'no-cache');
    if (onNetwork) return reply.sendFile('network/index.html');
    return reply.sendFile(path.startsWith('/m/') ? 'm/index.html' : 'index.html');
  };

  // One handler: with `ignoreTrailingSlash`, `/m/` would otherwise be matched as `/m`. Only the
  // path of a built file is logged: any other path may be a webhook's address mistyped.
  const builtFile = (path: string) => existingFile(distDir, decodeURIComponentOrEmpty(path)) !== null;
  app.get('/*', { config: { loggedParams: { '*': builtFile } } }, serve);
}

function decodeURIComponentOrEmpty(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}

function decodedPath(request: FastifyRequest): string | null {
  const raw = request.url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** The file under `distDir` a URL path names, relative to it, or null; never leaves `distDir`. */
function existingFile(distDir: string, urlPath: string): string | null {
  const relative = normalize(urlPath).replace(/^([/\\])+/, '');
  if (relative === '' || relative.startsWith('..') || relative.includes('\0')) return null;
  const full = join(distDir, relative);
  try {
    return statSync(full).isFile() ? relative : null;
  } catch {
    return null;
  }
}

function acceptsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

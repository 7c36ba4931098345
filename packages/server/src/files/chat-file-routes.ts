import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AuthContext, hasAnyScope } from '../rest/auth-context.ts';
import { authenticate, type RestAuthenticator } from '../rest/rest-authenticator.ts';
import { RestError } from '../rest/rest-error.ts';
import { mergeParams } from '../rest/rest-params-parser.ts';
import { restTime } from '../rest/rest-time.ts';
import { type ChatFile, diskFileView, type FileVariant } from './chat-file.ts';
import { UPLOAD_FIELD, UPLOAD_PATH } from './chat-file-methods.ts';
import type { ChatFiles } from './chat-files.ts';
import { fileRefusal, readableSize } from './file-refusal.ts';
import { receiveBody } from './incoming-body.ts';

interface FileAddressParams {
  id: string;
  key: string;
  variant: string;
}

/** Pictures a page may show from here; everything else is only ever downloaded. */
const SHOWN_INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * The second step of an upload (`POST /rest/upload.json?token=…`, multipart, field `file`) and
 * the files' own addresses (`/disk/file/<id>/<key>/<preview|show|download>`). A file's address
 * answers only a signed-in member of its chat (session cookie or `auth=` token), checked on
 * every request; anyone else, and any wrong id or key, gets the same "not found".
 */
/** Tried in order, as for `/rest/` calls. */
export type ViewerAuthenticators = readonly RestAuthenticator[];

export async function chatFileRoutes(
  app: FastifyInstance,
  authenticators: ViewerAuthenticators,
  files: ChatFiles,
): Promise<void> {
  await app.register(multipart, { limits: { files: 1, fields: 5, parts: 6, fieldNameSize: 100 } });
  app.post(UPLOAD_PATH, async (request, reply) => {
    const startedAt = Date.now();
    const portal = request.portal;
    if (!portal) throw new RestError('NOT_FOUND', 'There is no portal at this address', 404);
    const token = (request.query as Record<string, unknown>).token;
    const upload = typeof token === 'string' && token !== '' ? await files.redeemUploadToken(portal.id, token) : null;
    if (!upload) throw new RestError('NO_AUTH_FOUND', 'The upload address is unknown, used or expired', 401);
    if (!request.isMultipart())
      throw new RestError('ERROR_ARGUMENT', `Send the file as multipart/form-data in "${UPLOAD_FIELD}"`);
    // The part stops at the limit and the rest of the request is read and dropped, so the client
    // hears the refusal instead of a connection cut while it is still sending.
    const limit = files.settings.sizeLimit;
    const part = await request.file({ limits: { fileSize: limit } });
    if (!part || part.fieldname !== UPLOAD_FIELD) {
      throw new RestError('ERROR_ARGUMENT', `Send the file as multipart/form-data in "${UPLOAD_FIELD}"`);
    }
    const body = await receiveBody(part.file, files.incomingDir, limit + 1);
    if (part.file.truncated) {
      await body.discard();
      throw fileRefusal('FILE_TOO_LARGE', `The file is larger than the limit of ${readableSize(limit)}`);
    }
    const file = await files.upload(portal.id, upload.userId, upload.folder, part.filename, body, upload.uniqueName);
    return reply.send({
      result: diskFileView(file, `${request.protocol}://${request.host}`),
      time: restTime(startedAt, Date.now()),
    });
  });
  // The key is the address's secret: the log shows the id and variant only.
  const config = {
    loggedParams: {
      id: (id: string) => /^\d{1,10}$/.test(id),
      variant: (v: string) => /^(preview|show|download)$/.test(v),
    },
  };
  app.get<{ Params: FileAddressParams }>('/disk/file/:id/:key/:variant', { config }, async (request, reply) => {
    const file = await readableFile(authenticators, files, request);
    const variant = request.params.variant as FileVariant;
    const sha256 = variant === 'preview' ? file.previewSha256 : file.contentSha256;
    if (!sha256) throw notFound();
    const etag = `"${sha256}"`;
    reply.header('cache-control', 'private, no-cache');
    reply.header('etag', etag);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-security-policy', "default-src 'none'; sandbox");
    reply.header('cross-origin-resource-policy', 'same-origin');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    const body = await files.readBody(sha256);
    if (!body) throw notFound();
    const inline = variant === 'preview' || (variant === 'show' && SHOWN_INLINE.has(file.mimeType));
    reply.header(
      'content-type',
      variant === 'preview' ? 'image/webp' : inline ? file.mimeType : 'application/octet-stream',
    );
    if (variant !== 'preview') reply.header('content-length', String(file.size));
    reply.header(
      'content-disposition',
      `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    );
    return reply.send(body);
  });
}

async function readableFile(
  authenticators: ViewerAuthenticators,
  files: ChatFiles,
  request: FastifyRequest<{ Params: FileAddressParams }>,
): Promise<ChatFile> {
  const portal = request.portal;
  const { id, key, variant } = request.params;
  if (!portal || !/^\d{1,10}$/.test(id) || !['preview', 'show', 'download'].includes(variant)) throw notFound();
  const auth = await signedInViewer(authenticators, request, ['im', 'disk']);
  if (!auth) throw notFound();
  const file = await files.openForReading(portal.id, auth.userId, Number(id), key);
  if (!file) throw notFound();
  return file;
}

/**
 * Who fetches an address of this portal (session cookie or `auth=` token in the query), if
 * signed in with one of `scopes`; null otherwise.
 */
export async function signedInViewer(
  authenticators: ViewerAuthenticators,
  request: FastifyRequest,
  scopes: readonly string[],
): Promise<AuthContext | null> {
  const portal = request.portal;
  if (!portal) return null;
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const auth = await authenticate(authenticators, {
    portal,
    params: mergeParams(query, undefined),
    cookies: request.cookies,
    headers: request.headers,
    ip: request.ip,
  });
  return hasAnyScope(auth, scopes) ? auth : null;
}

export function notFound(): RestError {
  return new RestError('NOT_FOUND', 'Nothing is here', 404);
}

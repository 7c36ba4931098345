import type { FastifyInstance } from 'fastify';
import { notFound, signedInViewer, type ViewerAuthenticators } from '../files/chat-file-routes.ts';
import type { Photos } from './photos.ts';

interface PictureAddressParams {
  kind: string;
  id: string;
  key: string;
}

/** Scopes under which a signed-in person sees other people and chats. */
const VIEWING_SCOPES = ['im', 'user', 'user_basic', 'user_brief'];

/**
 * `/photo/user/<id>/<key>` and `/photo/chat/<id>/<key>` (WebP; `<key>.png` as PNG): a person's photo for anyone signed in
 * on the same portal, a chat's picture for those who may see the chat. Anyone else, and any
 * wrong id or key, gets the same "not found".
 */
export async function photoRoutes(
  app: FastifyInstance,
  authenticators: ViewerAuthenticators,
  photos: Photos,
): Promise<void> {
  // The key is the address's secret: the log shows the kind and id only.
  const config = {
    loggedParams: { kind: (k: string) => /^(user|chat)$/.test(k), id: (id: string) => /^\d{1,10}$/.test(id) },
  };
  app.get<{ Params: PictureAddressParams }>('/photo/:kind/:id/:key', { config }, async (request, reply) => {
    const { kind, id } = request.params;
    // `<key>.png`: the same picture as PNG, for what cannot show WebP (desktop notification icons).
    const png = request.params.key.endsWith('.png');
    const key = png ? request.params.key.slice(0, -4) : request.params.key;
    const portal = request.portal;
    if (!portal || !/^(user|chat)$/.test(kind) || !/^\d{1,10}$/.test(id) || key.length > 64) throw notFound();
    const viewer = await signedInViewer(authenticators, request, VIEWING_SCOPES);
    if (!viewer) throw notFound();
    const sha256 =
      kind === 'user'
        ? await photos.userPhoto(portal.id, Number(id), key)
        : await photos.chatAvatar(portal.id, viewer.userId, Number(id), key);
    const body = sha256 ? await photos.readBody(sha256) : null;
    if (!body) throw notFound();
    // A new picture gets a new address, so this one may be kept; only by this person's browser.
    reply.header('cache-control', 'private, max-age=31536000, immutable');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-security-policy', "default-src 'none'; sandbox");
    reply.header('cross-origin-resource-policy', 'same-origin');
    if (!png) {
      reply.header('content-type', 'image/webp');
      return reply.send(body);
    }
    reply.header('content-type', 'image/png');
    return reply.send(await photos.asPng(body));
  });
}

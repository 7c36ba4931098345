import type { OAuthErrorAnswer } from '@portaldesk/protocol';
import type { FastifyReply } from 'fastify';

const STATUS: Record<OAuthErrorAnswer['error'], number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
};

/** An error of the authorization server, answered as RFC 6749 §5.2 and Bitrix24 write it. */
export class OAuthError extends Error {
  readonly status: number;
  constructor(
    readonly code: OAuthErrorAnswer['error'],
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
    this.status = STATUS[code];
  }

  toJSON(): OAuthErrorAnswer {
    return { error: this.code, error_description: this.description };
  }
}

/**
 * Runs a route's work, answering an {@link OAuthError} it throws as the error's JSON. Where the
 * client authenticates with HTTP Basic, `basicRealm` makes a 401 name the scheme, as RFC 6749
 * §5.2 asks.
 */
export async function answeringOAuthErrors(
  reply: FastifyReply,
  work: () => Promise<unknown>,
  options: { basicRealm?: string } = {},
): Promise<unknown> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    if (error.status === 401 && options.basicRealm) {
      reply.header('www-authenticate', `Basic realm="${options.basicRealm}"`);
    }
    return reply.status(error.status).header('cache-control', 'no-store').send(error.toJSON());
  }
}

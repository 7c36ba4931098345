import type { FastifyInstance } from 'fastify';
import type { NetworkContext } from '../network-context.ts';

/** The public keys portals verify Network tokens with, and the OAuth server metadata (RFC 8414). */
export async function discoveryRoutes(app: FastifyInstance, network: NetworkContext): Promise<void> {
  app.get('/.well-known/jwks.json', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(await network.keys.publicKeys()),
  );
  const metadata = () => {
    const issuer = network.issuer.url;
    return {
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize/`,
      token_endpoint: `${issuer}/oauth/token/`,
      revocation_endpoint: `${issuer}/oauth/revoke/`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      id_token_signing_alg_values_supported: ['ES256'],
      subject_types_supported: ['public'],
      scopes_supported: ['openid', 'portals'],
      authorization_response_iss_parameter_supported: true,
    };
  };
  app.get('/.well-known/oauth-authorization-server', async () => metadata());
  app.get('/.well-known/openid-configuration', async () => metadata());
}

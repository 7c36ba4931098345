import type { FastifyInstance } from 'fastify';
import { BuiltPage } from '../web/built-page.ts';
import { discoveryRoutes } from './keys/discovery-routes.ts';
import type { NetworkContext } from './network-context.ts';
import { networkHostConstraint } from './network-host.ts';
import { authorizeRoutes } from './oauth/authorize-routes.ts';
import { tokenRoutes } from './oauth/token-routes.ts';
import { networkRestRoutes } from './rest/network-rest-routes.ts';
import { signInRoutes } from './sessions/sign-in-routes.ts';

/**
 * Every route of the Network role, each constrained to the Network's host: on that host these
 * routes win over the portal routes of the same path, and on any other host they do not exist.
 */
export async function networkRoutes(
  app: FastifyInstance,
  network: NetworkContext,
  options: { secureCookies: boolean; uiDistDir: string },
): Promise<void> {
  const host = networkHostConstraint(network.domain);
  app.addHook('onRoute', (route) => {
    route.constraints = { ...route.constraints, host };
  });
  await discoveryRoutes(app, network);
  await authorizeRoutes(app, network, new BuiltPage(options.uiDistDir, 'network/index.html', 'Network'));
  await tokenRoutes(app, network);
  await signInRoutes(app, network, options.secureCookies);
  await networkRestRoutes(app, network);
}

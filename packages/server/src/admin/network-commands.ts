import { isLoopbackHostname } from '@portaldesk/protocol';
import { PortalRegistrationError, portalOrigin } from '../network/clients/network-client-store.ts';
import { registerPortalWithNetwork } from '../network/portal-side/register-portal.ts';
import type { Portal } from '../portals/portal.ts';
import { type AdminCommand, type AdminEnvironment, optionalString, requiredString } from './admin-command.ts';
import { CommandFailedError, UsageError } from './admin-errors.ts';
import { checkPortalOption, portalByDomain } from './portal-commands.ts';
import { formatTable } from './table-output.ts';

/*
 * A portal and its Network. Where both run on this database (the default, one process with both
 * roles), `network register-portal` does everything. Where the Network runs elsewhere, its
 * operator runs `network add-portal` there, which prints the portal's client credentials once,
 * and the portal's operator runs `network trust` here with them.
 */

const registerPortal: AdminCommand = {
  words: ['network', 'register-portal'],
  summary: 'Register a portal with the Network on this database and make the portal trust it',
  help: [
    '--portal <host>  the portal, e.g. acme.example.com (required)',
    '--url <origin>   the address people use, if not https://<host> (http://<host>:PORT for *.localhost)',
  ],
  options: { portal: { type: 'string' }, url: { type: 'string' } },
  required: ['portal'],
  check(values) {
    checkPortalOption(values);
    urlOption(values);
  },
  async run(values, env) {
    const portal = await portalByDomain(env.context.portals, requiredString(values, 'portal'));
    const url = urlOption(values) ?? defaultPortalUrl(portal, env);
    const { clientId } = await registerPortalWithNetwork(env.context, portal, url).catch(failure);
    const issuer = env.context.network.issuer.url;
    if (env.out.wantsJson) return env.out.json({ portal: portal.domain, url, clientId, issuer });
    env.out.line(`Registered ${portal.domain} (${url}) with the Network ${issuer} as client ${clientId}`);
    env.out.line(`${portal.domain} now trusts the Network's signing keys at ${issuer}/.well-known/jwks.json`);
  },
};

const addPortal: AdminCommand = {
  words: ['network', 'add-portal'],
  summary: 'On the Network: register a portal that runs elsewhere; prints its client credentials once',
  help: [
    "--name <text>   the portal's name shown on profiles (required)",
    "--url <origin>  the portal's address, e.g. https://acme.example.com (required)",
  ],
  options: { name: { type: 'string' }, url: { type: 'string' } },
  required: ['name', 'url'],
  check(values) {
    urlOption(values);
  },
  async run(values, env) {
    const url = urlOption(values) ?? '';
    const name = requiredString(values, 'name');
    const { clientId, clientSecret } = await env.context.network.clients
      .registerPortal({ name, portalUrl: url })
      .catch(failure);
    const issuer = env.context.network.issuer.url;
    if (env.out.wantsJson) return env.out.json({ clientId, clientSecret, issuer, url });
    env.out.line(`Registered ${name} (${url}) with the Network ${issuer}`);
    env.out.line(`Client id: ${clientId}`);
    env.out.line(`Client secret, shown only now (it is a password: keep it secret): ${clientSecret}`);
    env.out.line(
      `On the portal's server: portaldesk network trust --portal <host> --issuer ${issuer} --client-id ${clientId} --client-secret-stdin`,
    );
  },
};

const trustNetwork: AdminCommand = {
  words: ['network', 'trust'],
  summary: 'On a portal: trust a Network that runs elsewhere, with the credentials it gave the portal',
  help: [
    '--portal <host>        the portal, e.g. acme.example.com (required)',
    "--issuer <url>         the Network's address, e.g. https://network.example.com (required)",
    "--client-id <id>       the portal's client id from `network add-portal` (required)",
    '--client-secret-stdin  read the client secret from stdin (required: never on the command line)',
  ],
  options: {
    portal: { type: 'string' },
    issuer: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret-stdin': { type: 'boolean' },
  },
  required: ['portal', 'issuer', 'client-id'],
  check(values) {
    checkPortalOption(values);
    issuerOption(values);
    if (values['client-secret-stdin'] !== true) {
      throw new UsageError('Give the client secret on stdin with --client-secret-stdin, never as an argument');
    }
  },
  async run(values, env) {
    const portal = await portalByDomain(env.context.portals, requiredString(values, 'portal'));
    const issuer = issuerOption(values);
    const clientId = requiredString(values, 'client-id');
    const clientSecret = (await env.readStdin()).trim();
    if (!clientSecret) throw new CommandFailedError('NO_SECRET', 'No client secret on stdin');
    await checkJwks(issuer);
    await env.context.portalNetworkTrust.save({ portalId: portal.id, issuer, clientId, clientSecret });
    if (env.out.wantsJson) return env.out.json({ portal: portal.domain, issuer, clientId });
    env.out.line(`${portal.domain} now trusts the Network ${issuer} (client ${clientId}) and its keys`);
  },
};

const listPortals: AdminCommand = {
  words: ['network', 'portals'],
  summary: 'List the portals registered with the Network on this database',
  help: [],
  options: {},
  async run(_values, env) {
    const clients = await env.context.network.clients.listPortals();
    if (env.out.wantsJson) return env.out.json(clients);
    if (clients.length === 0) return env.out.line('No portals are registered with the Network.');
    const rows = clients.map((c) => [c.clientId, c.portalUrl ?? '', c.name]);
    for (const line of formatTable(['CLIENT ID', 'ADDRESS', 'NAME'], rows)) env.out.line(line);
  },
};

export const networkCommands: AdminCommand[] = [registerPortal, addPortal, trustNetwork, listPortals];

function urlOption(values: Record<string, unknown>): string | undefined {
  const url = optionalString(values as never, 'url');
  if (url === undefined) return undefined;
  try {
    return portalOrigin(url);
  } catch (error) {
    if (error instanceof PortalRegistrationError) throw new UsageError(`--url ${url}: ${error.message}`);
    throw error;
  }
}

function issuerOption(values: Record<string, unknown>): string {
  const input = requiredString(values as never, 'issuer');
  try {
    return portalOrigin(input);
  } catch {
    throw new UsageError(`--issuer ${input}: the Network's address, such as https://network.example.com`);
  }
}

function defaultPortalUrl(portal: Portal, env: AdminEnvironment): string {
  return isLoopbackHostname(portal.domain) ? `http://${portal.domain}:${env.port}` : `https://${portal.domain}`;
}

function failure(error: unknown): never {
  if (error instanceof PortalRegistrationError) throw new CommandFailedError(error.code, error.message);
  throw error;
}

/** A Network whose keys cannot be fetched would refuse every sign-in later; say so now. */
async function checkJwks(issuer: string): Promise<void> {
  const { localhostFetch } = await import('../http-client/localhost-fetch.ts');
  try {
    const response = await localhostFetch(`${issuer}/.well-known/jwks.json`, { signal: AbortSignal.timeout(5_000) });
    const body = (await response.json()) as { keys?: unknown };
    if (response.status === 200 && Array.isArray(body.keys)) return;
  } catch {
    // Reported below.
  }
  throw new CommandFailedError(
    'NETWORK_UNREACHABLE',
    `No signing keys at ${issuer}/.well-known/jwks.json: check the address and that the Network is running`,
  );
}

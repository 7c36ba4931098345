import { UnknownOAuthAppError } from '../oauth/oauth-app-administration.ts';
import { checkAppName, checkRedirectUris, checkScopes, InvalidOAuthAppError } from '../oauth/oauth-app-input.ts';
import type { OAuthAppWithSecret } from '../oauth/oauth-app-store.ts';
import { type AdminCommand, type AdminEnvironment, type OptionValues, requiredString } from './admin-command.ts';
import { CommandFailedError, UsageError } from './admin-errors.ts';
import { checkPortalOption, portalByDomain } from './portal-commands.ts';
import { adminAppView } from './rest/admin-app-methods.ts';
import { formatTable } from './table-output.ts';

const PORTAL_HELP = '--portal <host>       the portal, e.g. acme.example.com (required)';
const CLIENT_ID_HELP = '--client-id <id>      the application, as `app list` shows it (required)';

/** The options of a command that acts on one application of a portal. */
const ONE_APP_OPTIONS = {
  help: [PORTAL_HELP, CLIENT_ID_HELP],
  options: { portal: { type: 'string' }, 'client-id': { type: 'string' } },
  required: ['portal', 'client-id'],
  check: checkPortalOption,
} satisfies Partial<AdminCommand>;

const createApp: AdminCommand = {
  words: ['app', 'create'],
  summary: 'Register an OAuth application on a portal; prints its client id and secret once',
  help: [
    PORTAL_HELP,
    '--name <text>         what people see on the consent page (required)',
    '--redirect-uri <url>  where people return with a code: https, or http on loopback; repeat for more (required)',
    '--scope <list>        comma-separated scopes it may ask for, e.g. user,im (required)',
  ],
  options: {
    portal: { type: 'string' },
    name: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    scope: { type: 'string' },
  },
  required: ['portal', 'name', 'scope'],
  check(values) {
    checkPortalOption(values);
    asUsage('--name', () => checkAppName(requiredString(values, 'name')));
    asUsage('--redirect-uri', () => checkRedirectUris(redirectUris(values)));
    asUsage('--scope', () => checkScopes(requiredString(values, 'scope').split(',')));
  },
  async run(values, env) {
    const portal = await portalByDomain(env.context.portals, requiredString(values, 'portal'));
    const registered = await failingClearly(() =>
      env.context.oauthAppAdministration.register({
        portalId: portal.id,
        name: requiredString(values, 'name'),
        redirectUris: redirectUris(values),
        scopes: requiredString(values, 'scope').split(','),
      }),
    );
    printWithSecret(env, registered, `Registered application ${registered.app.name} on ${portal.domain}`);
  },
};

const listApps: AdminCommand = {
  words: ['app', 'list'],
  summary: "List a portal's OAuth applications (never their secrets)",
  help: [PORTAL_HELP],
  options: { portal: { type: 'string' } },
  required: ['portal'],
  check: checkPortalOption,
  async run(values, { context, out }) {
    const portal = await portalByDomain(context.portals, requiredString(values, 'portal'));
    const apps = await context.oauthAppAdministration.list(portal.id);
    if (out.wantsJson) return out.json(apps.map(adminAppView));
    if (apps.length === 0)
      return out.line(`No applications on ${portal.domain}. Register one with: portaldesk app create`);
    const rows = apps.map((a) => [a.clientId, a.scopes.join(','), a.name, a.redirectUris.join(' ')]);
    for (const line of formatTable(['CLIENT ID', 'SCOPES', 'NAME', 'REDIRECT URIS'], rows)) out.line(line);
  },
};

const rotateSecret: AdminCommand = {
  words: ['app', 'rotate-secret'],
  summary: "Replace an application's client secret; prints the new one once, the old one stops working",
  ...ONE_APP_OPTIONS,
  async run(values, env) {
    const portal = await portalByDomain(env.context.portals, requiredString(values, 'portal'));
    const rotated = await failingClearly(() =>
      env.context.oauthAppAdministration.rotateSecret(portal.id, requiredString(values, 'client-id')),
    );
    printWithSecret(
      env,
      rotated,
      `New client secret for ${rotated.app.name} on ${portal.domain}; the old one no longer works`,
    );
  },
};

const deleteApp: AdminCommand = {
  words: ['app', 'delete'],
  summary: 'Delete an OAuth application with every token it holds',
  ...ONE_APP_OPTIONS,
  async run(values, env) {
    const portal = await portalByDomain(env.context.portals, requiredString(values, 'portal'));
    const clientId = requiredString(values, 'client-id');
    await failingClearly(() => env.context.oauthAppAdministration.delete(portal.id, clientId));
    if (env.out.wantsJson) return env.out.json({ deleted: clientId });
    env.out.line(`Deleted application ${clientId} from ${portal.domain}; its tokens no longer work`);
  },
};

export const appCommands: AdminCommand[] = [createApp, listApps, rotateSecret, deleteApp];

function redirectUris(values: OptionValues): string[] {
  const given = values['redirect-uri'];
  if (given === undefined) throw new UsageError('Missing --redirect-uri');
  if (typeof given === 'string') return [given];
  return Array.isArray(given) ? given : [];
}

function printWithSecret(env: AdminEnvironment, { app, clientSecret }: OAuthAppWithSecret, headline: string): void {
  if (env.out.wantsJson) {
    env.out.json({ ...adminAppView(app), clientSecret });
    return;
  }
  env.out.line(headline);
  env.out.line(`Client id:     ${app.clientId}`);
  env.out.line(`Client secret: ${clientSecret}`);
  env.out.line('The secret is shown only now (it is a password: keep it secret).');
}

/** A check that needs no database, its complaint as a usage error naming the option. */
function asUsage(option: string, check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (error instanceof InvalidOAuthAppError) throw new UsageError(`${option}: ${error.message}`);
    throw error;
  }
}

async function failingClearly<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidOAuthAppError) throw new CommandFailedError(error.code, error.message);
    if (error instanceof UnknownOAuthAppError) {
      throw new CommandFailedError(error.code, `${error.message}. See them with: portaldesk app list`);
    }
    throw error;
  }
}

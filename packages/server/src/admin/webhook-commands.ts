import { isLoopbackHostname } from '@portaldesk/protocol';
import { InvalidWebhookError, SCOPE_NAME } from '../webhooks/incoming-webhook-store.ts';
import { type AdminCommand, optionalString, requiredString } from './admin-command.ts';
import { CommandFailedError, UsageError } from './admin-errors.ts';
import { checkPortalOption } from './portal-commands.ts';
import { portalAndUser } from './user-commands.ts';

const createWebhook: AdminCommand = {
  words: ['webhook', 'create'],
  summary: 'Create an incoming webhook: a secret REST address that acts as the user, within its scopes',
  help: [
    '--portal <host>     the portal, e.g. acme.example.com (required)',
    '--user <who>        the user it acts as: id, e-mail, phone or user name (required)',
    '--scope <list>      comma-separated scopes, e.g. user,im (required)',
    '--title <text>      what it is for, shown in the portal',
    '--expires-days <n>  stop working after n days (default: never)',
  ],
  options: {
    portal: { type: 'string' },
    user: { type: 'string' },
    scope: { type: 'string' },
    title: { type: 'string' },
    'expires-days': { type: 'string' },
  },
  required: ['portal', 'user', 'scope'],
  check(values) {
    checkPortalOption(values);
    scopesOf(requiredString(values, 'scope'));
    expiryDays(optionalString(values, 'expires-days'));
  },
  async run(values, env) {
    const { portal, user } = await portalAndUser(values, env);
    const days = expiryDays(optionalString(values, 'expires-days'));
    const now = env.context.clock.now();
    const created = await env.context.webhooks
      .create({
        portalId: portal.id,
        userId: user.id,
        scopes: scopesOf(requiredString(values, 'scope')),
        title: optionalString(values, 'title') ?? '',
        expiresAt: days === null ? null : new Date(now.getTime() + days * 86_400_000),
      })
      .catch((error: unknown) => {
        throw error instanceof InvalidWebhookError ? new CommandFailedError(error.code, error.message) : error;
      });
    const origin = isLoopbackHostname(portal.domain)
      ? `http://${portal.domain}:${env.port}`
      : `https://${portal.domain}`;
    const url = `${origin}${created.path}`;
    const { webhook } = created;
    if (env.out.wantsJson) return env.out.json({ id: webhook.id, userId: user.id, scopes: webhook.scopes, url });
    env.out.line(
      `Created incoming webhook ${webhook.id} acting as user ${user.id} in ${portal.domain}, scopes: ${webhook.scopes.join(', ')}`,
    );
    env.out.line(`Its address, shown only now (it is a password: keep it secret): ${url}`);
    env.out.line(`Call a method by appending its name, e.g. ${url}user.current.json`);
  },
};

export const webhookCommands: AdminCommand[] = [createWebhook];

function scopesOf(list: string): string[] {
  const scopes = list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = scopes.find((s) => !SCOPE_NAME.test(s));
  if (scopes.length === 0 || bad !== undefined) {
    throw new UsageError(`--scope ${list}: a comma-separated list of scope names such as user,im`);
  }
  return scopes;
}

function expiryDays(input: string | undefined): number | null {
  if (input === undefined) return null;
  const days = Number(input);
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new UsageError(`--expires-days ${input}: a whole number of days from 1 to 3650`);
  }
  return days;
}

import { classifyLogin, normalizeEmail, normalizePhone, USERNAME_PATTERN } from '@portaldesk/protocol';
import { z } from 'zod';
import { hashPassword } from '../auth/password-hasher.ts';
import type { Portal } from '../portals/portal.ts';
import { fullName, type User } from '../users/user.ts';
import { UserStore } from '../users/user-store.ts';
import {
  type AdminCommand,
  type AdminEnvironment,
  type OptionValues,
  optionalString,
  requiredString,
} from './admin-command.ts';
import { CommandFailedError, UsageError } from './admin-errors.ts';
import { checkPortalOption, portalByDomain } from './portal-commands.ts';
import { formatTable } from './table-output.ts';
import { isUniqueViolation, takenLogin } from './unique-violation.ts';

const PORTAL_HELP = '--portal <host>     the portal, e.g. acme.example.com (required)';
const USER_HELP = '--user <who>        user id, e-mail, phone or user name (required)';
const PASSWORD_STDIN_HELP = '--password-stdin    read the password from stdin instead of asking for it';

const createUser: AdminCommand = {
  words: ['user', 'create'],
  summary: 'Create a user (with --password-stdin, also set the password)',
  help: [
    PORTAL_HELP,
    '--first-name <text>  (required)',
    '--last-name <text>  (optional)',
    '--email <address>   at least one of --email, --phone, --username is required',
    "--phone <number>    any usual format; without +, read with the portal's country",
    '--username <name>   letters, digits, . _ -',
    '--admin             the user administers the portal',
    PASSWORD_STDIN_HELP,
  ],
  options: {
    portal: { type: 'string' },
    'first-name': { type: 'string' },
    'last-name': { type: 'string' },
    email: { type: 'string' },
    phone: { type: 'string' },
    username: { type: 'string' },
    admin: { type: 'boolean' },
    'password-stdin': { type: 'boolean' },
  },
  required: ['portal', 'first-name'],
  check(values) {
    checkPortalOption(values);
    checkLoginOptions(values);
  },
  async run(values, env) {
    const portal = await portalByDomain(env.context.portals, requiredString(values, 'portal'));
    const input = newUserInput(values, portal);
    const password = values['password-stdin'] ? await env.readPassword(true) : null;
    const hash = password === null ? null : await hashPassword(password);
    const user = await env.db
      .transaction(async (tx) => {
        const users = new UserStore(tx);
        const created = await users.create(portal.id, input);
        if (hash) await users.setPasswordHash(portal.id, created.id, hash);
        return created;
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? duplicateLogin(error, portal) : error;
      });
    if (env.out.wantsJson) return env.out.json(userJson(user));
    env.out.line(`Created user ${user.id} in ${portal.domain}: ${describe(user)}${hash ? ', password set' : ''}`);
  },
};

const listUsers: AdminCommand = {
  words: ['user', 'list'],
  summary: "List a portal's users",
  help: [PORTAL_HELP],
  options: { portal: { type: 'string' } },
  required: ['portal'],
  check: checkPortalOption,
  async run(values, { context, out }) {
    const portal = await portalByDomain(context.portals, requiredString(values, 'portal'));
    const users: User[] = [];
    const PAGE = 500;
    for (let after = 0; ; ) {
      const page = await context.users.list(
        portal.id,
        { idAbove: after },
        { offset: 0, limit: PAGE, withoutTotal: true },
      );
      users.push(...page.users);
      if (page.users.length < PAGE) break;
      after = page.users[page.users.length - 1]?.id ?? after;
    }
    if (out.wantsJson) return out.json(users.map(userJson));
    if (users.length === 0) return out.line(`No users in ${portal.domain} yet`);
    const rows = users.map((u) => [
      String(u.id),
      fullName(u),
      u.email ?? '',
      u.phone ?? '',
      u.username ?? '',
      u.isAdmin ? 'admin' : '',
      u.active ? 'active' : 'deactivated',
    ]);
    for (const line of formatTable(['ID', 'NAME', 'E-MAIL', 'PHONE', 'USER NAME', 'ROLE', 'STATUS'], rows)) {
      out.line(line);
    }
  },
};

const deactivateUser: AdminCommand = {
  words: ['user', 'deactivate'],
  summary: 'Stop a user from signing in (their data stays)',
  help: [PORTAL_HELP, USER_HELP],
  options: { portal: { type: 'string' }, user: { type: 'string' } },
  required: ['portal', 'user'],
  check: checkPortalOption,
  run: (values, env) => setActive(values, env, false),
};

const activateUser: AdminCommand = {
  words: ['user', 'activate'],
  summary: 'Let a deactivated user sign in again',
  help: [PORTAL_HELP, USER_HELP],
  options: { portal: { type: 'string' }, user: { type: 'string' } },
  required: ['portal', 'user'],
  check: checkPortalOption,
  run: (values, env) => setActive(values, env, true),
};

const setPassword: AdminCommand = {
  words: ['user', 'set-password'],
  summary: "Set a user's password (asked for, or read from stdin)",
  help: [PORTAL_HELP, USER_HELP, PASSWORD_STDIN_HELP],
  options: { portal: { type: 'string' }, user: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  required: ['portal', 'user'],
  check: checkPortalOption,
  async run(values, env) {
    const { portal, user } = await portalAndUser(values, env);
    const password = await env.readPassword(values['password-stdin'] === true);
    await env.context.users.setPasswordHash(portal.id, user.id, await hashPassword(password));
    // Whoever knew the old password may be signed in with it.
    const ended = await env.context.sessions.revokeAllOfUser(portal.id, user.id);
    if (env.out.wantsJson) return env.out.json({ id: user.id, passwordSet: true, sessionsEnded: ended });
    env.out.line(`Password set for user ${user.id} (${fullName(user)}) in ${portal.domain}${sessionsEnded(ended)}`);
  },
};

const resetTwoFactor: AdminCommand = {
  words: ['user', 'reset-2fa'],
  summary: 'Turn two-factor sign-in off (a lost phone); the user can set it up again',
  help: [PORTAL_HELP, USER_HELP],
  options: { portal: { type: 'string' }, user: { type: 'string' } },
  required: ['portal', 'user'],
  check: checkPortalOption,
  async run(values, env) {
    const { portal, user } = await portalAndUser(values, env);
    const wasOn = await env.context.twoFactor.isEnabled(portal.id, user.id);
    await env.context.twoFactor.resetForUser(portal.id, user.id);
    if (env.out.wantsJson) return env.out.json({ id: user.id, twoFactor: false, wasEnabled: wasOn });
    env.out.line(
      wasOn
        ? `Two-factor sign-in is off for user ${user.id} (${fullName(user)}) in ${portal.domain}`
        : `User ${user.id} (${fullName(user)}) in ${portal.domain} had no two-factor sign-in; nothing changed`,
    );
  },
};

export const userCommands: AdminCommand[] = [
  createUser,
  listUsers,
  deactivateUser,
  activateUser,
  setPassword,
  resetTwoFactor,
];

/** The portal of `--portal` and its user named by `--user` (an id or any login). */
export async function portalAndUser(
  values: OptionValues,
  env: AdminEnvironment,
): Promise<{ portal: Portal; user: User }> {
  const portal = await portalByDomain(env.context.portals, requiredString(values, 'portal'));
  const who = requiredString(values, 'user');
  const user = /^\d+$/.test(who)
    ? await env.context.users.findById(portal.id, Number(who))
    : await env.context.users.findByLogin(portal.id, classifyLogin(who, portal.defaultCountry));
  if (!user) throw new CommandFailedError('USER_NOT_FOUND', `No user ${who} in ${portal.domain}`);
  return { portal, user };
}

async function setActive(values: OptionValues, env: AdminEnvironment, active: boolean): Promise<void> {
  const { portal, user } = await portalAndUser(values, env);
  await env.context.users.setActive(portal.id, user.id, active);
  const ended = active ? 0 : await env.context.sessions.revokeAllOfUser(portal.id, user.id);
  if (env.out.wantsJson) return env.out.json({ ...userJson(user), active, sessionsEnded: ended });
  const state = active ? 'active' : 'deactivated';
  env.out.line(`User ${user.id} (${fullName(user)}) in ${portal.domain} is ${state}${sessionsEnded(ended)}`);
}

/** A running server drops its cached copy of an ended session within seconds. */
function sessionsEnded(count: number): string {
  return count === 0 ? '' : `; signed out of ${count} session${count === 1 ? '' : 's'}`;
}

const EmailSchema = z.email();

function checkLoginOptions(values: OptionValues): void {
  const email = optionalString(values, 'email');
  if (!email && !optionalString(values, 'phone') && !optionalString(values, 'username')) {
    throw new UsageError('Give the user a login: --email, --phone or --username');
  }
  if (email && !EmailSchema.safeParse(email).success) throw new UsageError(`--email ${email}: not an e-mail address`);
}

/** The new user's fields; phone numbers and user names are read with the portal's country. */
function newUserInput(values: OptionValues, portal: Portal) {
  const email = optionalString(values, 'email');
  const phone = optionalString(values, 'phone');
  const username = optionalString(values, 'username');
  const e164 = phone ? normalizePhone(phone, portal.defaultCountry) : null;
  if (phone && !e164) {
    throw new UsageError(
      `--phone ${phone}: not a phone number (numbers without + are read as ${portal.defaultCountry})`,
    );
  }
  // A user name that reads as an e-mail or a phone number could never be used to sign in.
  if (
    username &&
    (!USERNAME_PATTERN.test(username) || classifyLogin(username, portal.defaultCountry).kind !== 'username')
  ) {
    throw new UsageError(
      `--username ${username}: use 2–50 letters, digits, dots, dashes or underscores, not a phone number`,
    );
  }
  return {
    firstName: requiredString(values, 'first-name'),
    lastName: optionalString(values, 'last-name') ?? '',
    email: email ? normalizeEmail(email) : null,
    phone: e164,
    username: username ?? null,
    isAdmin: values.admin === true,
  };
}

function duplicateLogin(error: { constraint?: string }, portal: Portal): CommandFailedError {
  return new CommandFailedError('USER_EXISTS', `${portal.domain} already has a user with this ${takenLogin(error)}`);
}

function describe(user: User): string {
  return [fullName(user), user.email, user.phone, user.username && `@${user.username}`, user.isAdmin && 'admin']
    .filter(Boolean)
    .join(', ');
}

function userJson(u: User) {
  return {
    id: u.id,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    phone: u.phone,
    username: u.username,
    isAdmin: u.isAdmin,
    active: u.active,
  };
}

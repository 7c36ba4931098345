import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.ts';
import { ClusterError } from '../storage/managed-postgres/cluster-error.ts';
import { type AdminCommand, type AdminOutput, type OptionValues, requiredString } from './admin-command.ts';
import { CommandFailedError, UsageError } from './admin-errors.ts';
import { appCommands } from './app-commands.ts';
import { networkCommands } from './network-commands.ts';
import { readAll, readNewPassword } from './password-input.ts';
import { portalCommands } from './portal-commands.ts';
import { storageCommands } from './storage-commands.ts';
import { userCommands } from './user-commands.ts';
import { webhookCommands } from './webhook-commands.ts';

export const ADMIN_COMMANDS: readonly AdminCommand[] = [
  ...portalCommands,
  ...userCommands,
  ...webhookCommands,
  ...appCommands,
  ...networkCommands,
  ...storageCommands,
];

export interface AdminIo {
  env: Record<string, string | undefined>;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: Writable;
  stderr: Writable;
}

const COMMON_OPTIONS = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

/** Runs one admin command line; resolves to the process exit status (0 done, 1 failed, 2 bad usage). */
export async function runAdminCli(argv: readonly string[], io: AdminIo): Promise<number> {
  const say = (stream: Writable, text: string) => stream.write(`${text}\n`);
  try {
    const [noun, verb, ...rest] = argv;
    if (noun === undefined) {
      say(io.stderr, generalHelp());
      return 2;
    }
    if (noun === 'help' || noun === '--help' || noun === '-h') {
      say(io.stdout, generalHelp());
      return 0;
    }
    const command = findCommand(noun, verb);
    const values = parseOptions(command, rest);
    if (values.help) {
      say(io.stdout, commandHelp(command));
      return 0;
    }
    for (const name of command.required ?? []) requiredString(values, name);
    command.check?.(values);
    await execute(command, values, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      say(io.stderr, `portaldesk: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      say(io.stderr, `portaldesk: ${error.message}`);
      return 2;
    }
    if (error instanceof CommandFailedError || error instanceof ClusterError) {
      say(io.stderr, `portaldesk: ${error.message}`);
      return 1;
    }
    say(io.stderr, `portaldesk: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function execute(command: AdminCommand, values: OptionValues, io: AdminIo): Promise<void> {
  const config = loadConfig(io.env);
  // Loaded only now, so that help and a wrong command line answer at once.
  const [{ default: pino }, { createAppContext }, { systemClock }, { migrate }, { openDatabase }] = await Promise.all([
    import('pino'),
    import('../app/app-context.ts'),
    import('../clock/clock.ts'),
    import('../storage/migrate.ts'),
    import('../storage/open-database.ts'),
  ]);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    postgresOsUser: config.postgresOsUser,
    besideEarlierEngineData: command.migratesItself === true,
  });
  try {
    if (!command.migratesItself) await migrate(db);
    const context = createAppContext({
      db,
      clock: systemClock,
      logger: pino({ level: 'silent' }),
      network: config.network,
      files: { ...config.files, dir: config.files.dir ?? `${config.dataDir}/files` },
    });
    // The Network's issuer as the server derives it once listening, unless NETWORK_ISSUER fixes it.
    context.network.issuer.bindDerived(config.tls ? 'https' : 'http', config.network.domain, config.port);
    const out: AdminOutput = {
      wantsJson: values.json === true,
      line: (text) => io.stdout.write(`${text}\n`),
      json: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    };
    const readPassword = (fromStdin: boolean) => readNewPassword({ stdin: io.stdin, prompt: io.stderr }, fromStdin);
    await command.run(values, {
      db,
      context,
      out,
      readPassword,
      readStdin: () => readAll(io.stdin),
      port: config.port,
      dataDir: config.dataDir,
    });
  } finally {
    await db.close();
  }
}

function findCommand(noun: string, verb: string | undefined): AdminCommand {
  const sameNoun = ADMIN_COMMANDS.filter((c) => c.words[0] === noun);
  if (sameNoun.length === 0) throw new UsageError(`Unknown command "${noun}". See: portaldesk help`);
  const command = sameNoun.find((c) => c.words[1] === verb);
  if (!command) {
    const verbs = sameNoun.map((c) => c.words[1]).join(', ');
    const what =
      verb === undefined || verb.startsWith('-') ? 'What to do' : `Unknown command "${noun} ${verb}". What to do`;
    throw new UsageError(`${what} with ${noun}s: ${verbs}`);
  }
  return command;
}

function parseOptions(command: AdminCommand, args: string[]): OptionValues {
  try {
    const { values } = parseArgs({
      args,
      options: { ...command.options, ...COMMON_OPTIONS },
      strict: true,
      allowPositionals: false,
    });
    return values as OptionValues;
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(`${error.message.split('.')[0]}. See: portaldesk ${command.words.join(' ')} --help`);
    }
    throw error;
  }
}

function generalHelp(): string {
  const width = Math.max(...ADMIN_COMMANDS.map((c) => c.words.join(' ').length));
  return [
    'Usage: portaldesk <command> [options]',
    '',
    'Administers the portals in the database the server uses: PORTALDESK_DATA (its own cluster, default ./data)',
    'or DATABASE_URL (PostgreSQL), read from the environment as by the server.',
    '',
    'Commands:',
    ...ADMIN_COMMANDS.map((c) => `  ${c.words.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --json (print the result as JSON) and --help.',
    'Exit status: 0 done, 1 could not be done, 2 wrong command line.',
  ].join('\n');
}

function commandHelp(command: AdminCommand): string {
  const options = [...command.help, '--json  print the result as JSON'].map((line) => {
    const [flag = '', ...description] = line.split(/ {2,}/);
    return [flag, description.join(' ')] as const;
  });
  const width = Math.max(...options.map(([flag]) => flag.length));
  return [
    `Usage: portaldesk ${command.words.join(' ')} [options]`,
    '',
    command.summary,
    '',
    'Options:',
    ...options.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`.trimEnd()),
  ].join('\n');
}

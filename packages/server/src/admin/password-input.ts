import type { Readable, Writable } from 'node:stream';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '@portaldesk/protocol';
import { CommandFailedError, UsageError } from './admin-errors.ts';

export interface PasswordStreams {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** Prompts go here (stderr), so that stdout stays clean for results. */
  prompt: Writable;
}

/**
 * A new password, never from the command line (where `ps` and shell history show it): piped in
 * with `--password-stdin`, or typed twice at a hidden prompt.
 */
export async function readNewPassword(streams: PasswordStreams, fromStdin: boolean): Promise<string> {
  let password: string;
  if (fromStdin) {
    password = stripLineEnd(await readAll(streams.stdin));
  } else if (streams.stdin.isTTY && streams.stdin.setRawMode) {
    password = await promptHidden(streams, 'New password: ');
    const repeated = await promptHidden(streams, 'Repeat the password: ');
    if (repeated !== password) throw new CommandFailedError('PASSWORD_MISMATCH', 'The two passwords differ');
  } else {
    throw new UsageError('No terminal to ask for the password on: pipe it in and add --password-stdin');
  }
  return checkPassword(password);
}

export function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new CommandFailedError('WEAK_PASSWORD', `The password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new CommandFailedError(
      'PASSWORD_TOO_LONG',
      `The password must have at most ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
  return password;
}

/** `echo secret | …` and here-strings add one line end; the password is the text before it. */
function stripLineEnd(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/** Everything on the stream, e.g. a secret piped to stdin. */
export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line in raw mode without echoing it; Ctrl-C aborts. */
function promptHidden(streams: PasswordStreams, question: string): Promise<string> {
  const { stdin, prompt } = streams;
  prompt.write(question);
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      prompt.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') return finish(new CommandFailedError('ABORTED', 'Aborted'));
        if (char === '\u007f' || char === '\b') typed = Array.from(typed).slice(0, -1).join('');
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

/** What an error log line holds: its kind and where it happened, never its text. */
export interface ErrorLogView {
  type: string;
  /** A Node system error's code (`ECONNREFUSED`) or a PostgreSQL SQLSTATE (`22003`). */
  code?: string;
  /** PostgreSQL's name for the check that failed (a constraint, the routine). */
  constraint?: string;
  routine?: string;
  /** The stack frames only. */
  stack?: string;
  cause?: ErrorLogView;
}

const MAX_CAUSES = 3;

/**
 * An error as the log sees it. Messages are left out: a database error quotes the value it
 * refused (`value "…" is out of range`, the JSON it could not read), a JSON parse error quotes
 * its input, and either may be a password, a token or a message's text. The type, the code and
 * the stack frames tell where and what failed.
 */
export function errorLogView(error: unknown, causes = MAX_CAUSES): ErrorLogView {
  if (!(error instanceof Error)) return { type: typeof error };
  const fields = error as Error & Record<string, unknown>;
  const view: ErrorLogView = { type: error.constructor.name === 'Error' ? error.name : error.constructor.name };
  for (const key of ['code', 'constraint', 'routine'] as const) {
    if (typeof fields[key] === 'string') view[key] = fields[key];
  }
  const stack = stackFrames(error);
  if (stack) view.stack = stack;
  if (error.cause !== undefined && causes > 0) view.cause = errorLogView(error.cause, causes - 1);
  return view;
}

/**
 * The `at …` lines of the stack, read after the message (which may span lines of its own); none
 * when the message cannot be found in the stack to be cut off.
 */
function stackFrames(error: Error): string | undefined {
  const { stack, message } = error;
  if (typeof stack !== 'string') return undefined;
  const start = message ? stack.indexOf(message) : 0;
  if (start < 0) return undefined;
  const afterMessage = stack.slice(start + message.length);
  const frames = afterMessage.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length > 0 ? frames.map((line) => line.trim()).join('\n') : undefined;
}

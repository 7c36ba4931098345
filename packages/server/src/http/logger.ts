import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';
import { errorLogView } from './error-log-view.ts';
import { requestLogView } from './request-log-view.ts';

/**
 * The server's structured logger. A request is logged by its method, its route with only the
 * parameters the route allows, host and client address; an error by its type, code and stack
 * frames. No query string, header, cookie, body or error message ever reaches it.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
  /** One readable line per entry; by default when the log goes to a terminal. */
  readable = destination === undefined && process.stdout.isTTY === true,
): Logger {
  return pino(
    {
      level,
      serializers: {
        req: requestLogView,
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: errorLogView,
      },
    },
    readable ? readableLines(destination) : (destination ?? bufferedStdout()),
  );
}

/**
 * A person watching a terminal reads one line per entry ("12:03:04 INFO: request completed
 * GET /rest/:method 200"), not JSON; what is logged is the same serialized view as in JSON, so
 * nothing redacted comes back. Pipes and files (not a TTY) keep JSON for log collectors.
 */
function readableLines(destination?: DestinationStream): DestinationStream {
  // Loaded only for a terminal (its thirty-odd modules are not needed by a server whose log is
  // piped); synchronously, as it is CommonJS and the logger is made before anything is awaited.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pretty({
    destination: destination ?? 1,
    colorize: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,reqId',
    messageFormat:
      '{msg}{if req.method} {req.method} {req.url} {req.host}{end}{if res.statusCode} → {res.statusCode}{end}{if responseTime} in {responseTime} ms{end}',
    hideObject: true,
  });
}

/**
 * Standard output, written in batches rather than with one system call per line: at info level
 * every request logs, and synchronous writes were a third of the server's CPU time per request
 * (bench/user-current.ts). Pino flushes what is buffered when the process exits.
 */
function bufferedStdout(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096 });
}

import pino, { type DestinationStream, type Logger } from 'pino';
import { errorLogView } from './error-log-view.ts';
import { requestLogView } from './request-log-view.ts';

/**
 * The server's structured logger. A request is logged by its method, its route with only the
 * parameters the route allows, host and client address; an error by its type, code and stack
 * frames. No query string, header, cookie, body or error message ever reaches it.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: {
        req: requestLogView,
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: errorLogView,
      },
    },
    destination ?? bufferedStdout(),
  );
}

/**
 * Standard output, written in batches rather than with one system call per line: at info level
 * every request logs, and synchronous writes were a third of the server's CPU time per request
 * (bench/user-current.ts). Pino flushes what is buffered when the process exits.
 */
function bufferedStdout(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096 });
}

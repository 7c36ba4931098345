import pino, { type DestinationStream, type Logger } from 'pino';
import { redactUrl } from './log-redaction.ts';

/**
 * The server's structured logger. Requests are logged by method, redacted URL and client
 * address only: no headers (cookies, authorization) and no bodies (passwords) ever reach it.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: {
        req: (req: { method: string; url: string; ip?: string; headers?: Record<string, unknown> }) => ({
          method: req.method,
          url: redactUrl(req.url),
          host: req.headers?.host,
          remoteAddress: req.ip,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
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

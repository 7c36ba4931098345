/**
 * Whether an error means the database cannot be reached right now (it is down, restarting, or
 * refuses connections), as opposed to a fault of the request or of our code. Such a failure is
 * answered as temporary (HTTP 503, with Retry-After), so that clients, the official SDK among
 * them, try again instead of giving up on an internal error.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNREACHABLE_SOCKET_CODES.has(code)) return true;
    // SQLSTATE class 08 (connection exception), 57P01–57P03 (the server shutting down, crashed,
    // or starting), 53300 (no connection slot left).
    if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code) || code === '53300') return true;
  }
  // node-postgres reports a connection that ended under a query, or a pool that could not get
  // one in time, with a message and no code.
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && LOST_CONNECTION_MESSAGES.some((text) => message.startsWith(text));
}

const UNREACHABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'EPIPE', 'ETIMEDOUT']);

const LOST_CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
];

import {
  type BatchCommandTime,
  BatchParamsSchema,
  type BatchResult,
  REST_BATCH_LIMIT,
  type RestFailure,
} from '@portaldesk/protocol';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../../storage/database-unavailable.ts';
import type { RestDispatcher } from '../rest-dispatcher.ts';
import { RestError } from '../rest-error.ts';
import { type RestMethod, restMethod } from '../rest-method.ts';
import { parseQueryParams } from '../rest-params-parser.ts';
import { restTime } from '../rest-time.ts';
import { NO_PARAMS_IN_URL } from '../secret-params.ts';
import { resolveReferences, UnresolvedReferenceError } from './batch-references.ts';

/** Parameters a command may not set for itself: it runs with the batch's own caller. */
const CALLER_PARAMS = new Set(['auth', 'sessid']);

interface Outcome {
  result: Map<string, unknown>;
  error: Map<string, RestFailure>;
  total: Map<string, number>;
  next: Map<string, number>;
  time: Map<string, BatchCommandTime>;
}

/**
 * `batch`: up to 50 commands, each run through the same dispatcher with the caller's own
 * credentials, so scope and CSRF checks apply to every command as if it came alone. Every
 * command answers on its own, a failure included: one command's internal error is that
 * command's `INTERNAL_SERVER_ERROR` in `result_error` (and a log line), not the whole batch's.
 */
export function batchRestMethod(dispatcher: () => RestDispatcher, logger: Pick<Logger, 'error'>): RestMethod {
  return restMethod({
    name: 'batch',
    scope: 'basic',
    // Each command is checked on its own; a read-only batch of writes is refused command by command.
    readOnly: true,
    params: BatchParamsSchema,
    handle: async ({ auth, params, ip, paramsInUrl, origin }) => {
      // Commands that came in the address carry their parameters there too.
      const commandParamsInUrl = paramsInUrl === 'all' || paramsInUrl.has('cmd') ? 'all' : NO_PARAMS_IN_URL;
      const commands = Array.isArray(params.cmd)
        ? params.cmd.map((command, index) => [String(index), command] as const)
        : Object.entries(params.cmd);
      if (commands.length > REST_BATCH_LIMIT) {
        throw new RestError('ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded');
      }
      const outcome: Outcome = {
        result: new Map(),
        error: new Map(),
        total: new Map(),
        next: new Map(),
        time: new Map(),
      };
      for (const [key, command] of commands) {
        const startedAt = Date.now();
        try {
          const { method, query } = splitCommand(command);
          if (method.toLowerCase() === 'batch') {
            throw new RestError('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage');
          }
          const params = withoutCallerParams(resolveReferences(parseQueryParams(query), outcome.result));
          const answer = await dispatcher().invoke({
            method,
            params,
            auth,
            ip,
            paramsInUrl: commandParamsInUrl,
            ...(origin ? { origin } : {}),
          });
          outcome.result.set(key, answer.result);
          if (answer.total !== undefined) outcome.total.set(key, answer.total);
          if (answer.next !== undefined) outcome.next.set(key, answer.next);
          const { operating: _o, operating_reset_at: _r, ...time } = restTime(startedAt, Date.now());
          outcome.time.set(key, time);
        } catch (error) {
          outcome.error.set(key, toFailure(error, logger));
          if (params.halt) break;
        }
      }
      return { result: toBatchResult(outcome) };
    },
  });
}

/** `user.get?FILTER[ID]=1` → method and query; the method may carry `.json`. */
function splitCommand(command: string): { method: string; query: string } {
  const at = command.indexOf('?');
  const method = (at < 0 ? command : command.slice(0, at)).trim().replace(/\.json$/i, '');
  if (!/^[a-z0-9_.]+$/i.test(method)) throw new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!');
  return { method, query: at < 0 ? '' : command.slice(at + 1) };
}

function withoutCallerParams(params: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params as Record<string, unknown>).filter(([name]) => !CALLER_PARAMS.has(name.toLowerCase())),
  );
}

function toFailure(error: unknown, logger: Pick<Logger, 'error'>): RestFailure {
  if (error instanceof RestError) return error.toJSON();
  if (error instanceof UnresolvedReferenceError) return { error: error.code, error_description: error.message };
  if (isDatabaseUnavailable(error)) return RestError.serviceUnavailable().toJSON();
  logger.error({ err: error }, 'batch command failed');
  return new RestError('INTERNAL_SERVER_ERROR', 'Internal server error').toJSON();
}

/**
 * Written as PHP's json_encode writes an array: keys 0, 1, 2 … in order give a JSON array
 * (so does an empty map, `[]`, as the docs show), any other keys an object.
 */
function toBatchResult(outcome: Outcome): BatchResult {
  const shape = <T>(map: Map<string, T>): Record<string, T> | T[] => {
    const keys = [...map.keys()];
    return keys.every((key, index) => key === String(index)) ? [...map.values()] : Object.fromEntries(map);
  };
  return {
    result: shape(outcome.result),
    result_error: shape(outcome.error),
    result_total: shape(outcome.total),
    result_next: shape(outcome.next),
    result_time: shape(outcome.time),
  };
}

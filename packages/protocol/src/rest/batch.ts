import { z } from 'zod';
import type { RestFailure, RestTime } from './envelope.ts';
import { restBoolean } from './rest-params.ts';

/**
 * `batch`: `cmd` maps a key to `method?PARAM=value&…` (or is a list of such strings); with
 * `halt` set, the first failing command stops the rest.
 */
export const BatchParamsSchema = z.object({
  halt: restBoolean.default(false),
  cmd: z.union([z.record(z.string(), z.string()), z.array(z.string())]),
});

export type BatchParams = z.output<typeof BatchParamsSchema>;

/** The time block of one command inside a batch (no `operating` fields). */
export type BatchCommandTime = Omit<RestTime, 'operating' | 'operating_reset_at'>;

/**
 * Keyed like `cmd` (an array when `cmd` was one). An empty map is written `[]`, as PHP writes an
 * empty array, and as the docs show.
 */
export interface BatchResult {
  result: Record<string, unknown> | unknown[];
  result_error: Record<string, RestFailure> | RestFailure[];
  result_total: Record<string, number> | number[];
  result_next: Record<string, number> | number[];
  result_time: Record<string, BatchCommandTime> | BatchCommandTime[];
}

/** Timing block that every successful REST answer carries; the official SDK fails without it. */
export interface RestTime {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating_reset_at: number;
  operating: number;
}

export interface RestSuccess<T = unknown> {
  result: T;
  total?: number;
  next?: number;
  time: RestTime;
}

export interface RestFailure {
  error: string;
  error_description: string;
}

export type RestAnswer<T = unknown> = RestSuccess<T> | RestFailure;

export function isRestFailure(answer: unknown): answer is RestFailure {
  return typeof answer === 'object' && answer !== null && 'error' in answer;
}

/** Bitrix24 list methods page by `start` in pages of this many items. */
export const REST_PAGE_SIZE = 50;
/** A `batch` call carries at most this many commands. */
export const REST_BATCH_LIMIT = 50;

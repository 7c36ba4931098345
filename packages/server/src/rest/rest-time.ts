import type { RestTime } from '@portaldesk/protocol';

/** The `time` block of an answer, from the moments the call started and finished. */
export function restTime(startMs: number, finishMs: number): RestTime {
  const duration = (finishMs - startMs) / 1000;
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration,
    processing: duration,
    date_start: new Date(startMs).toISOString(),
    date_finish: new Date(finishMs).toISOString(),
    operating_reset_at: Math.floor(finishMs / 1000) + 600,
    operating: 0,
  };
}

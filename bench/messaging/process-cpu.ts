import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc's CPU times; 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (µs) used so far by each process (by pid) whose command name is one of `names` (the
 * PostgreSQL server's backends, Redis), read from /proc; `null` where /proc cannot be read.
 */
export function cpuMicrosOfProcesses(names: readonly string[]): Map<string, number> | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  const used = new Map<string, number>();
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone since the listing
    }
    // `pid (comm) state …`: comm may hold spaces, so fields are counted from the closing bracket.
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    if (!names.includes(stat.slice(open + 1, close))) continue;
    const fields = stat.slice(close + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
    used.set(pid, ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6);
  }
  return used;
}

/**
 * CPU time (µs) the processes used between two readings. A process that exited in between is
 * missing from `after` and its share is lost (the figure is a lower bound); one that started in
 * between counts whole.
 */
export function cpuMicrosBetween(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const [pid, micros] of after) total += micros - (before.get(pid) ?? 0);
  return total;
}

/** How many CPU cores this machine has, for reading CPU figures against. */
export const CORES = cpus().length;

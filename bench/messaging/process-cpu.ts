import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc's CPU times; 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (µs) used so far by every process whose command name is one of `names` (the
 * PostgreSQL server's backends, Redis), read from /proc; `null` where /proc cannot be read. A
 * backend that exits between two readings takes its time with it, so figures are a lower bound.
 */
export function cpuMicrosOfProcesses(names: readonly string[]): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  let ticks = 0;
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
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks / TICKS_PER_SECOND) * 1e6;
}

/** How many CPU cores this machine has, for reading CPU figures against. */
export const CORES = cpus().length;

import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc's CPU times; 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (µs) used so far by each process (by pid) whose command name is one of `names` (the
 * PostgreSQL server's backends, Redis), read from /proc; `null` where /proc cannot be read.
 */
export function cpuMicrosOfProcesses(names: readonly string[]): Map<string, number> | null {
  const all = processStats();
  if (!all) return null;
  return new Map(all.filter((p) => names.includes(p.comm)).map((p) => [p.pid, p.ownMicros]));
}

/**
 * CPU time (µs) used so far by each process below `rootPid` (the managed PostgreSQL cluster a
 * server runs: its postmaster and backends), with the CPU of children they have reaped (backends
 * that ended); `null` where /proc cannot be read.
 */
export function cpuMicrosOfDescendants(rootPid: number): Map<string, number> | null {
  const all = processStats();
  if (!all) return null;
  const below = new Set([String(rootPid)]);
  // Parents have lower pids than their children except after pid wrap-around; repeat until stable.
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!below.has(p.pid) && below.has(p.ppid)) {
        below.add(p.pid);
        grew = true;
      }
    }
  }
  below.delete(String(rootPid));
  return new Map(all.filter((p) => below.has(p.pid)).map((p) => [p.pid, p.ownMicros + p.reapedMicros]));
}

interface ProcessStat {
  pid: string;
  ppid: string;
  comm: string;
  ownMicros: number;
  reapedMicros: number;
}

function processStats(): ProcessStat[] | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  const stats: ProcessStat[] = [];
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone since the listing
    }
    // `pid (comm) state …`: comm may hold spaces, so fields are counted from the closing bracket.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    const micros = (at: number) => (Number(fields[at]) / TICKS_PER_SECOND) * 1e6;
    stats.push({
      pid,
      ppid: fields[1] ?? '',
      comm: stat.slice(stat.indexOf('(') + 1, close),
      // utime, stime, cutime, cstime are fields 14–17 of the line, 12–15 after the command name.
      ownMicros: micros(11) + micros(12),
      reapedMicros: micros(13) + micros(14),
    });
  }
  return stats;
}

/**
 * CPU time (µs) the processes used between two readings; one that started in between counts
 * whole. A process that exited in between is missing from `after`. Read with `withReaped` (the
 * descendants of a root, each with what it reaped), its whole life's CPU is in its parent's
 * reaped figure, so its reading before is taken off: without that, a backend closed by the
 * pool's idle timeout added its whole life's CPU to the window it ended in. Otherwise its share
 * since `before` is lost (the figure is a lower bound).
 */
export function cpuMicrosBetween(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  withReaped = false,
): number {
  let total = 0;
  for (const [pid, micros] of after) total += micros - (before.get(pid) ?? 0);
  if (withReaped) for (const [pid, micros] of before) if (!after.has(pid)) total -= micros;
  return total;
}

/** How many CPU cores this machine has, for reading CPU figures against. */
export const CORES = cpus().length;

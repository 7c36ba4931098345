import { readFileSync } from 'node:fs';
import { descendantsOf } from '../../packages/desktop/src/testing/process-tree.ts';

export interface MemoryFigures {
  /** Proportional set size: shared pages split among the processes that share them (what they cost together). */
  pssMb: number;
  /** Resident set size summed: counts shared pages once per process (an upper bound). */
  rssMb: number;
  processes: number;
}

/** `Pss:` and `Rss:` of one process from /proc/<pid>/smaps_rollup, in kB; zero once it ended. */
function rollup(pid: number): { pss: number; rss: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { pss: field('Pss'), rss: field('Rss') };
  } catch {
    return { pss: 0, rss: 0 };
  }
}

/** This process and every browser process it started (the desktop's main process and its windows). */
export function desktopMemory(): MemoryFigures {
  const pids = [
    process.pid,
    ...descendantsOf(process.pid)
      .filter((p) => /chrom/.test(p.command))
      .map((p) => p.pid),
  ];
  let pss = 0;
  let rss = 0;
  for (const pid of pids) {
    const figures = rollup(pid);
    pss += figures.pss;
    rss += figures.rss;
  }
  return { pssMb: pss / 1024, rssMb: rss / 1024, processes: pids.length };
}

/** The main process alone. */
export function mainProcessMemory(): { pssMb: number; rssMb: number } {
  const { pss, rss } = rollup(process.pid);
  return { pssMb: pss / 1024, rssMb: rss / 1024 };
}

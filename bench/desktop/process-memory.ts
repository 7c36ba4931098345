import { readFileSync } from 'node:fs';
import { descendantsOf } from '../../packages/desktop/src/testing/process-tree.ts';

export interface MemoryFigures {
  /** Proportional set size: shared pages split among the processes that share them (what they cost together). */
  pssMb: number;
  /** Resident set size summed: counts shared pages once per process (an upper bound). */
  rssMb: number;
  processes: number;
  /** PSS by kind of process: `main` (Node), `browser`, `renderer`, `gpu-process`, `utility:<service>`, `zygote`… */
  byKind: Record<string, number>;
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

/** What a Chromium process is, from its `--type` (and a utility's `--utility-sub-type`) switch. */
function chromiumKind(command: string): string {
  const type = / --type=([\w-]+)/.exec(command)?.[1];
  if (!type) return 'browser';
  if (type !== 'utility') return type;
  const service = / --utility-sub-type=([\w.]+)/.exec(command)?.[1] ?? 'other';
  return `utility:${service.replace(/\.mojom\.\w+$/, '')}`;
}

/** A desktop main process `pid` and every browser process it started (its windows). */
export function desktopMemory(pid: number): MemoryFigures {
  const processes = [
    { pid, kind: 'main' },
    ...descendantsOf(pid)
      .filter((p) => /chrom/.test(p.command))
      .map((p) => ({ pid: p.pid, kind: chromiumKind(p.command) })),
  ];
  let pss = 0;
  let rss = 0;
  const byKind: Record<string, number> = {};
  for (const process of processes) {
    const figures = rollup(process.pid);
    pss += figures.pss;
    rss += figures.rss;
    byKind[process.kind] = (byKind[process.kind] ?? 0) + figures.pss / 1024;
  }
  return { pssMb: pss / 1024, rssMb: rss / 1024, processes: processes.length, byKind };
}

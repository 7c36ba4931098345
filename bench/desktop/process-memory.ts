import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { descendantsOf } from '@portaldesk/desktop/testing';

export interface MemoryFigures {
  /** Proportional set size: shared pages split among the processes that share them (what they cost together). */
  pssMb: number;
  /** Resident set size summed: counts shared pages once per process (an upper bound). */
  rssMb: number;
  processes: number;
  /**
   * The pages resident for these processes, each counted once however many of them map it:
   * what they cost on a machine where nothing else shares their libraries. PSS shrinks when other
   * programs (here: other Chromiums) map the same library pages; this does not. Needs root
   * (/proc/<pid>/pagemap); NaN without.
   */
  uniqueMb: number;
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
  return {
    pssMb: pss / 1024,
    rssMb: rss / 1024,
    processes: processes.length,
    uniqueMb: uniqueResidentMb(processes.map((p) => p.pid)),
    byKind,
  };
}

const PAGE = 4096;
const PRESENT = 1n << 63n;
const PFN_MASK = (1n << 55n) - 1n;

/** Resident page frames of `pids`, deduplicated, in MB (smaps for the resident ranges, pagemap for their frames). */
function uniqueResidentMb(pids: number[]): number {
  if (process.getuid?.() !== 0) return Number.NaN;
  const frames = new Set<bigint>();
  for (const pid of pids) {
    let smaps: string;
    let fd: number;
    try {
      smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
      fd = openSync(`/proc/${pid}/pagemap`, 'r');
    } catch {
      continue;
    }
    try {
      let range: [bigint, bigint] | undefined;
      for (const line of smaps.split('\n')) {
        const head = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
        if (head) {
          range = [BigInt(`0x${head[1]}`), BigInt(`0x${head[2]}`)];
          continue;
        }
        if (!range || !line.startsWith('Rss:') || /^Rss:\s+0 kB/.test(line)) continue;
        const pages = Number((range[1] - range[0]) / BigInt(PAGE));
        const buffer = Buffer.alloc(pages * 8);
        readSync(fd, buffer, 0, buffer.length, Number((range[0] / BigInt(PAGE)) * 8n));
        for (let i = 0; i < pages; i++) {
          const entry = buffer.readBigUInt64LE(i * 8);
          if (entry & PRESENT) frames.add(entry & PFN_MASK);
        }
      }
    } finally {
      closeSync(fd);
    }
  }
  return (frames.size * PAGE) / 1024 / 1024;
}

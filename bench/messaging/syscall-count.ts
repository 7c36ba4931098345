import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** System calls made by the traced processes, by name; `total` counts them all. */
export type SyscallCounts = Map<string, number>;

/**
 * `perf`: kernel tracepoints counted by `perf stat`, cheap enough that the traced server keeps
 * its pace (the total, and the calls named in PERF_SYSCALLS). `strace`: `strace -c -f`, every
 * call by name, but it slows the traced processes down many times over, so that a run at a high
 * rate falls behind and its counts cover only part of the work.
 */
export type SyscallTool = 'perf' | 'strace';

/** The calls a send and a delivery make, counted by name with `perf`. */
const PERF_SYSCALLS = [
  'read',
  'write',
  'writev',
  'readv',
  'sendto',
  'recvfrom',
  'epoll_wait',
  'epoll_pwait',
  'futex',
  'pwrite64',
  'fdatasync',
  'lseek',
];

/**
 * Counts the system calls of running processes (all their threads) until `stop`. Needs the tool
 * and the right to trace (root, or perf_event_paranoid / ptrace_scope that allow it).
 */
export class SyscallCounter {
  private constructor(
    private readonly tool: SyscallTool,
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly output: string,
  ) {}

  static async attach(tool: SyscallTool, pids: readonly number[]): Promise<SyscallCounter> {
    const dir = mkdtempSync(join(tmpdir(), 'portaldesk-syscalls-'));
    const output = join(dir, 'counts.txt');
    const list = pids.join(',');
    const events = ['raw_syscalls:sys_enter', ...PERF_SYSCALLS.map((name) => `syscalls:sys_enter_${name}`)];
    const args =
      tool === 'perf'
        ? ['stat', '-x', ',', '-o', output, '-e', events.join(','), '-p', list]
        : ['-c', '-f', '-o', output, ...pids.flatMap((pid) => ['-p', String(pid)])];
    const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${tool} exited with ${code}: ${errors.trim()}`)));
      if (tool === 'perf') {
        // perf stat prints nothing when it has attached; it has within a moment.
        setTimeout(resolve, 500);
        return;
      }
      // strace says "Process N attached" on stderr for each process it traces.
      const attached = () => {
        if ((errors.match(/attached/g) ?? []).length >= pids.length) resolve();
      };
      child.stderr?.on('data', attached);
    });
    return new SyscallCounter(tool, child, dir, output);
  }

  async stop(): Promise<SyscallCounts> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGINT');
    await exited;
    const text = readFileSync(this.output, 'utf8');
    rmSync(this.dir, { recursive: true, force: true });
    return this.tool === 'perf' ? parsePerfStat(text) : parseStraceSummary(text);
  }
}

/** Reads `perf stat -x ,`: `count,unit,event,…` per line. */
function parsePerfStat(text: string): SyscallCounts {
  const counts: SyscallCounts = new Map();
  for (const line of text.split('\n')) {
    const [count, , event] = line.split(',');
    if (!event || !/^\d+$/.test(count ?? '')) continue;
    if (event === 'raw_syscalls:sys_enter') counts.set('total', Number(count));
    else counts.set(event.replace('syscalls:sys_enter_', ''), Number(count));
  }
  return counts;
}

/** Reads the table of `strace -c`: `% time  seconds  usecs/call  calls  [errors]  syscall`. */
function parseStraceSummary(text: string): SyscallCounts {
  const counts: SyscallCounts = new Map();
  let total = 0;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const name = fields.at(-1);
    if (fields.length < 5 || !name || name === 'total' || !/^[\d.]+$/.test(fields[0] ?? '')) continue;
    counts.set(name, Number(fields[3]));
    total += Number(fields[3]);
  }
  counts.set('total', total);
  return counts;
}

/** `12.3 (writev 4.1, read 3.0, …)`: calls per message, the commonest first. */
export function syscallsPerMessage(counts: SyscallCounts, messages: number, top = 6): string {
  const commonest = [...counts]
    .filter(([name, n]) => name !== 'total' && n > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, n]) => `${name} ${(n / messages).toFixed(2)}`);
  return `${((counts.get('total') ?? 0) / messages).toFixed(2)} (${commonest.join(', ')})`;
}

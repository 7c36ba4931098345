import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  command: string;
}

/** Every live descendant of `rootPid` (Linux /proc), for asserting that nothing was left running. */
export function descendantsOf(rootPid: number): ProcessInfo[] {
  const parents = new Map<number, number>();
  const commands = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name, which is in parentheses and may hold spaces.
      const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (afterName[0] === 'Z') continue;
      parents.set(pid, Number(afterName[1]));
      commands.set(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim());
    } catch {
      // The process ended while we looked.
    }
  }
  const found: ProcessInfo[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of parents) {
      if (ppid !== parent) continue;
      found.push({ pid, command: commands.get(pid) ?? '' });
      queue.push(pid);
    }
  }
  return found;
}

/** True while the process runs; a zombie (ended, not yet reaped) counts as ended. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

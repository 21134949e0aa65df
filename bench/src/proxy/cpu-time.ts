import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat the harness reads. */
export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** User and system CPU time, in clock ticks. */
  readonly utime: number;
  readonly stime: number;
}

/**
 * Parses a /proc/<pid>/stat line. The command name (field 2) is in parentheses and may hold
 * spaces and parentheses itself, so the fields are counted from the last `)`.
 */
export function parseProcStat(line: string): ProcStat {
  const close = line.lastIndexOf(')');
  if (close < 0) throw new Error(`not a /proc/<pid>/stat line: ${JSON.stringify(line.slice(0, 80))}`);
  const pid = Number(line.slice(0, line.indexOf(' ')));
  // After ")": state(3) ppid(4) pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15)
  const rest = line.slice(close + 2).split(' ');
  return { pid, ppid: Number(rest[1]), utime: Number(rest[11]), stime: Number(rest[12]) };
}

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second (`getconf CLK_TCK`, 100 on Linux nearly always). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // gone
  }
}

/**
 * CPU seconds (user + system, every thread) used so far by a process and all its living
 * descendants: nginx's workers, the workers of `serve --workers 2`. Children that already
 * exited are not counted; the targets keep theirs for the whole run.
 */
export function treeCpuSeconds(rootPid: number): number {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat !== undefined) stats.set(pid, stat);
  }
  const root = stats.get(rootPid);
  if (root === undefined) throw new Error(`process ${rootPid} is gone`);
  let ticks = 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    const stat = stats.get(pid);
    if (stat === undefined) continue;
    ticks += stat.utime + stat.stime;
    for (const child of stats.values()) if (child.ppid === pid) pending.push(child.pid);
  }
  return ticks / clockTicksPerSecond();
}

/** The machine's CPU time so far, all cores together, in clock ticks (the `cpu` line of /proc/stat). */
export interface MachineTicks {
  readonly total: number;
  /** Idle and waiting for I/O. */
  readonly idle: number;
  /** Taken by the hypervisor for other guests while this one wanted to run. */
  readonly steal: number;
}

/** Parses the first (`cpu`) line of /proc/stat: user nice system idle iowait irq softirq steal ... */
export function parseCpuLine(line: string): MachineTicks {
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== 'cpu') throw new Error(`not the cpu line of /proc/stat: ${JSON.stringify(line.slice(0, 80))}`);
  // guest and guest_nice (fields 9 and 10) are already counted in user and nice.
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.slice(1, 9).map(Number) as [number, number, number, number, number, number, number, number];
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal };
}

export function machineTicks(): MachineTicks {
  return parseCpuLine(readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!);
}

/** Shares of the machine's CPU time between two readings: idle, and stolen by the hypervisor. */
export function machineShares(before: MachineTicks, after: MachineTicks): { readonly idle: number; readonly steal: number } {
  const total = after.total - before.total;
  if (total <= 0) return { idle: Number.NaN, steal: Number.NaN };
  return { idle: (after.idle - before.idle) / total, steal: (after.steal - before.steal) / total };
}

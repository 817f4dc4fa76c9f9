// Where the CPU went during a measurement, from /proc (Linux; elsewhere the figures are left out):
// the machine's busy cores, Charter's processes under test, the database and Temporal servers
// (found by the port they listen on) and this load generator. A 2-vs-1 ratio means little without
// it: it tells whether the cores were full (the ratio is the cores') or one serial process was
// (e.g. the database at one core: the ratio is that server's, whatever Charter does).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux everywhere that matters). */
const TICKS = 100;

const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/** User + system CPU seconds of one process so far; null when it is gone or /proc is absent. */
function processSeconds(pid: number): number | null {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Busy and total CPU seconds of the whole machine so far (steal counts as not ours: busy elsewhere). */
function machineSeconds(): { busy: number; total: number } | null {
  const line = read('/proc/stat')?.split('\n')[0];
  if (line === undefined) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user! + nice! + system! + irq! + softirq!;
  return { busy: busy / TICKS, total: (busy + idle! + iowait! + steal!) / TICKS };
}

/** The pid of the process listening on `port` on this machine, or null (not found, not Linux). */
export function listenerPid(port: number): number | null {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of (read(table) ?? '').split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      // local address is cols[1] (ADDR:PORT), state cols[3] (0A: LISTEN), inode cols[9].
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A' && cols[9]) inodes.add(`socket:[${cols[9]}]`);
    }
  }
  if (inodes.size === 0) return null;
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (inodes.has(readlinkSync(`/proc/${entry}/fd/${fd}`))) return Number(entry);
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  return null;
}

export type CpuGroups = Record<string, readonly number[]>;

/** Cores busy on average over the interval: the machine's, and each group's of processes. */
export interface CpuUse {
  cores: number;
  machine: number;
  groups: Record<string, number>;
  /** This process (the load generator and the orchestration). */
  self: number;
}

/** Starts counting; the function it returns stops and answers the averages since. */
export function sampleCpu(groups: CpuGroups): () => CpuUse | null {
  const sum = (pids: readonly number[]) => pids.reduce((total, pid) => total + (processSeconds(pid) ?? 0), 0);
  const machineAt = machineSeconds();
  const groupsAt = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, sum(pids)]));
  const selfAt = process.cpuUsage();
  const began = process.hrtime.bigint();
  return () => {
    const machineNow = machineSeconds();
    if (machineAt === null || machineNow === null) return null;
    const wall = Number(process.hrtime.bigint() - began) / 1e9;
    const total = machineNow.total - machineAt.total;
    const self = process.cpuUsage(selfAt);
    return {
      cores: total / wall,
      machine: (machineNow.busy - machineAt.busy) / wall,
      groups: Object.fromEntries(
        Object.entries(groups).map(([name, pids]) => [name, (sum(pids) - groupsAt[name]!) / wall]),
      ),
      self: (self.user + self.system) / 1e6 / wall,
    };
  };
}

/** `machine 1.9/2 cores: serve 0.6, SecantusDB 1.0, ...`, for a measurement's line. */
export function describeCpu(use: CpuUse | null): string {
  if (use === null) return 'cpu: not measured (no /proc)';
  const groups = Object.entries(use.groups).map(([name, cores]) => `${name} ${cores.toFixed(2)}`);
  return `cpu (cores busy): machine ${use.machine.toFixed(2)} of ${use.cores.toFixed(0)}; ${[...groups, `load generator ${use.self.toFixed(2)}`].join(', ')}`;
}

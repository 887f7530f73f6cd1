import { readFileSync } from 'node:fs';

/**
 * Server CPU time, read from /proc (Linux only; elsewhere every figure is `undefined` and the
 * report leaves the column empty). Throughput on a shared 2-core machine moves with whatever else
 * runs; CPU time per token barely does, so it tells a real regression from a noisy neighbour.
 */

/** USER_HZ: 100 on every mainstream Linux build, and Node cannot ask sysconf for it. */
const CLOCK_TICKS_PER_SEC = 100;

/** Fields after the parenthesised command name (which may itself contain spaces). */
function statFields(statFile: string): string[] | undefined {
  try {
    const stat = readFileSync(statFile, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function cpuSecondsIn(statFile: string): number | undefined {
  const fields = statFields(statFile);
  // Fields 14 and 15 of proc(5) are utime and stime; `fields` starts at field 3.
  if (!fields) return undefined;
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC;
}

/** User + system CPU seconds of a process, all its threads (libuv's crypto workers included). */
export function cpuSecondsOf(pid: number): number | undefined {
  return cpuSecondsIn(`/proc/${pid}/stat`);
}

/** CPU seconds of a process's main thread alone (its thread id is the process id): JavaScript, GC. */
export function mainThreadCpuSecondsOf(pid: number): number | undefined {
  return cpuSecondsIn(`/proc/${pid}/task/${pid}/stat`);
}

/** Busy CPU seconds of the whole machine, all cores (user, nice, system, irq, softirq, steal). */
export function machineBusySeconds(): number | undefined {
  try {
    const cpuLine = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [user, nice, system, , , irq, softirq, steal] = cpuLine.trim().split(/\s+/).slice(1).map(Number);
    return (
      ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
      CLOCK_TICKS_PER_SEC
    );
  } catch {
    return undefined;
  }
}

/** CPU used during a measured window, split the way the report shows it. */
export interface CpuUse {
  /** CPU seconds of the server process, all threads; undefined without /proc or a pid. */
  serverSec?: number;
  /** CPU seconds of the server's main thread (the rest went to libuv workers and V8's helpers). */
  serverMainSec?: number;
  /**
   * CPU seconds of everything but the server and this process (which drives the load): other work
   * on the machine, which makes throughput unreliable.
   */
  othersSec?: number;
}

const ownCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

const delta = (before: number | undefined, after: number | undefined): number | undefined =>
  before === undefined || after === undefined ? undefined : after - before;

/** Starts counting CPU for the server `serverPid`, the machine and this process; `end()` reads the deltas. */
export function startCpuWindow(serverPid: number | undefined): { end(): CpuUse } {
  const read = () => ({
    server: serverPid === undefined ? undefined : cpuSecondsOf(serverPid),
    serverMain: serverPid === undefined ? undefined : mainThreadCpuSecondsOf(serverPid),
    own: ownCpuSeconds(),
    machine: machineBusySeconds(),
  });
  const before = read();
  return {
    end() {
      const after = read();
      const serverSec = delta(before.server, after.server);
      const machineSec = delta(before.machine, after.machine);
      const othersSec =
        serverSec === undefined || machineSec === undefined
          ? undefined
          : Math.max(0, machineSec - serverSec - (after.own - before.own));
      return { serverSec, serverMainSec: delta(before.serverMain, after.serverMain), othersSec };
    },
  };
}

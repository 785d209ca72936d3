/**
 * How many cores this process may keep busy: the CPUs it may run on (`os.availableParallelism()`,
 * the scheduler's affinity mask), capped by a cgroup CPU quota when one is set. A container
 * started with `--cpus 2` (docker-compose `cpus: 2`, Kubernetes `limits.cpu: 2`) on a 16-core
 * host sees 16 CPUs in its affinity mask but is throttled to 2 cores' worth of time; deciding
 * thread counts from the 16 would queue threads for the 2.
 *
 * Quota files (Linux kernel docs, Documentation/admin-guide/cgroup-v2.rst "cpu.max" and
 * Documentation/scheduler/sched-bwc.rst for v1): cgroup v2 `/sys/fs/cgroup/cpu.max` holds
 * "$MAX $PERIOD" ("max" = no limit); cgroup v1 `/sys/fs/cgroup/cpu/cpu.cfs_quota_us` (-1 = no
 * limit) over `cpu.cfs_period_us`, both in µs. A fractional quota rounds up (1.5 CPUs → 2), and
 * the result is at least 1.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Reads a small text file, or undefined when it is absent or unreadable (no cgroup, not Linux). */
export type ReadText = (path: string) => string | undefined;

const readText: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * The cgroup CPU quota in cores (fractional, e.g. 1.5), or null when none is set or readable.
 * cgroup v2 first, then v1.
 */
export function cgroupCpuQuota(read: ReadText = readText): number | null {
  const v2 = read('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/);
  if (v2) {
    if (v2[0] === 'max') return null;
    const quota = Number(v2[0]);
    const period = Number(v2[1] ?? 100_000);
    return quota > 0 && period > 0 ? quota / period : null;
  }
  const quota = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')?.trim());
  const period = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us')?.trim());
  return quota > 0 && period > 0 ? quota / period : null;
}

/**
 * Whole cores this process may use: min(affinity CPUs, ⌈cgroup quota⌉), at least 1.
 * @param cpus the affinity count (default `os.availableParallelism()`).
 */
export function usableCores(cpus: number = availableParallelism(), read: ReadText = readText): number {
  const quota = cgroupCpuQuota(read);
  return Math.max(1, quota === null ? cpus : Math.min(cpus, Math.ceil(quota)));
}

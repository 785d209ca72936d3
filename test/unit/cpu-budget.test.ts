/**
 * Usable cores (worker/cpu-budget.ts): the affinity count capped by a cgroup v2 or v1 CPU quota,
 * read from fixture file contents.
 */
import { describe, expect, it } from 'vitest';
import { cgroupCpuQuota, usableCores } from '@/worker/cpu-budget';

const files = (entries: Record<string, string>) => (path: string) => entries[path];

describe('usable cores', () => {
  it('caps the affinity count by a cgroup v2 quota, rounding a fraction up', () => {
    expect(usableCores(16, files({ '/sys/fs/cgroup/cpu.max': '200000 100000\n' }))).toBe(2);
    expect(usableCores(16, files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' }))).toBe(2);
    expect(usableCores(16, files({ '/sys/fs/cgroup/cpu.max': '50000 100000\n' }))).toBe(1);
    expect(cgroupCpuQuota(files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' }))).toBe(1.5);
  });

  it('no quota ("max", v1 -1, no files) leaves the affinity count; a quota above it changes nothing', () => {
    expect(usableCores(4, files({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' }))).toBe(4);
    expect(usableCores(4, files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' }))).toBe(4);
    expect(usableCores(4, files({}))).toBe(4);
    expect(usableCores(2, files({ '/sys/fs/cgroup/cpu.max': '800000 100000\n' }))).toBe(2);
  });

  it('reads a cgroup v1 quota', () => {
    expect(usableCores(8, files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '300000\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' }))).toBe(3);
  });

  it('this machine: at least 1 and no more than its affinity CPUs', async () => {
    const { availableParallelism } = await import('node:os');
    const cores = usableCores();
    expect(cores).toBeGreaterThanOrEqual(1);
    expect(cores).toBeLessThanOrEqual(availableParallelism());
  });
});

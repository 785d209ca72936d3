/**
 * Runs TimescaleDB background jobs (continuous-aggregate refresh policies, and later
 * compression/retention) on the embedded database, which has no background workers
 * (../shared/notes/platform.md quirk 2): every `pollMs` it reads timescaledb_information.jobs
 * and `CALL run_job(id)` for each job whose schedule_interval has passed since its last run.
 * On a TimescaleDB server the database's own scheduler does this; the runner is not started.
 */
import type { Logger } from 'pino';
import type { Database } from '@/lib/db/client';

interface JobRow {
  job_id: number;
  proc_name: string;
  hypertable_name: string | null;
  schedule_seconds: number;
}

export class EmbeddedJobRunner {
  private readonly lastRun = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  runs = 0;
  failures = 0;

  constructor(
    private readonly db: Database,
    private readonly logger?: Logger,
    private readonly pollMs = 15_000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runDue(), this.pollMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.running) await this.running;
  }

  /** Run every job that is due now (all of them on the first call). */
  runDue(now = Date.now()): Promise<void> {
    this.running ??= this.runOnce(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runOnce(now: number): Promise<void> {
    const jobs = await this.db.query<JobRow>(
      `SELECT job_id, proc_name, hypertable_name, extract(epoch FROM schedule_interval)::float8 AS schedule_seconds
       FROM timescaledb_information.jobs WHERE scheduled ORDER BY job_id`,
    );
    for (const job of jobs) {
      const last = this.lastRun.get(job.job_id);
      if (last !== undefined && now - last < job.schedule_seconds * 1000) continue;
      this.lastRun.set(job.job_id, now);
      const started = Date.now();
      try {
        await this.db.query(`CALL run_job($1)`, [job.job_id]);
        this.runs++;
        this.logger?.debug({ job: job.job_id, proc: job.proc_name, on: job.hypertable_name, ms: Date.now() - started }, 'job ran');
      } catch (error) {
        this.failures++;
        this.logger?.warn({ err: error, job: job.job_id, proc: job.proc_name }, 'job failed');
      }
    }
  }
}

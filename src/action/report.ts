import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Operation, PlanCounts, RunReport, Status } from '../engine/report/types.js';
import type { CommandContext } from './context.js';
import { describeError } from './environment.js';

/**
 * One apply, destroy or bootstrap of one environment as a GitHub Deployment: each phase a deployment
 * status (DESIGN.md "Status lifecycle"), the end a run report (check run + artifact file).
 */
export class DeploymentRun {
  readonly timings: Record<string, number> = {};
  readonly startedAt: Date;
  counts?: PlanCounts;
  outputs: Record<string, string | number | boolean> = {};
  drift?: RunReport['drift'];
  private deploymentId?: number;
  private readonly statuses: Status[] = [];

  constructor(
    private readonly ctx: CommandContext,
    readonly environment: string,
    readonly operation: Operation,
  ) {
    this.startedAt = ctx.now();
  }

  /** Creates the deployment; GitHub failures here stop the run (nothing was changed yet). */
  async start(first: Status): Promise<void> {
    this.deploymentId = await this.ctx.github.createDeployment(
      this.environment,
      this.operation,
      this.ctx.inputs.github.sha,
    );
    await this.phase(first);
  }

  async phase(status: Status, reason?: string): Promise<void> {
    this.statuses.push(status);
    this.ctx.io.info(`${this.environment}: ${status}${reason ? `: ${reason}` : ''}`);
    if (this.deploymentId === undefined) return;
    const description = reason ? this.ctx.redact(reason) : undefined;
    // A status GitHub did not take must not abort Terraform half way: retry once, then warn.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ctx.github.setDeploymentStatus(this.deploymentId, status, description);
        return;
      } catch (err) {
        if (attempt >= 2) {
          this.ctx.io.warning(
            `${this.environment}: GitHub did not record the '${status}' deployment status: ${(err as Error).message}`,
          );
          return;
        }
        await this.ctx.sleep(2_000);
      }
    }
  }

  get lastStatus(): Status | undefined {
    return this.statuses.at(-1);
  }

  /** Reports the end: the final deployment status, the report file and the report check run. */
  async finish(
    end: { status: 'ready' | 'destroyed' } | { status: 'failed'; error: unknown },
  ): Promise<RunReport> {
    const { ctx } = this;
    const error = end.status === 'failed' ? describeError(end.error) : undefined;
    if (error) {
      error.message = ctx.redact(error.message);
      if (error.next_step) error.next_step = ctx.redact(error.next_step);
    }
    const report: RunReport = {
      version: 1,
      environment: this.environment,
      operation: this.operation,
      status: end.status,
      commit: ctx.inputs.github.sha,
      run_url: ctx.inputs.github.runUrl,
      started_at: this.startedAt.toISOString(),
      finished_at: ctx.now().toISOString(),
      timings: this.timings,
      ...(this.counts ? { counts: this.counts } : {}),
      outputs: this.outputs,
      ...(error ? { error } : {}),
      ...(this.drift ? { drift: this.drift } : {}),
    };
    writeReportFile(ctx.inputs.reportDirectory, report);
    // The report goes out before the final status: the App fetches it when that status arrives.
    try {
      await ctx.github.publishReport(report);
    } catch (err) {
      ctx.io.warning(
        `Could not publish the run report check run for ${this.environment}: ${(err as Error).message}`,
      );
    }
    await this.phase(end.status, error ? `${error.message}` : undefined);
    return report;
  }
}

export function writeReportFile(directory: string, report: RunReport, suffix = 'report'): string {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${report.environment}.${suffix}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

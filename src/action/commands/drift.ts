import type { RunReport } from '../../engine/report/types.js';
import type { CommandContext, CommandResult } from '../context.js';
import {
  describeError,
  loadEnvironment,
  prepareWorkspace,
  resolveChanges,
  type Timings,
  diagnosticLines,
} from '../environment.js';
import { countsLine, markdownTable } from '../render.js';
import { writeReportFile } from '../report.js';
import { planWorkspace } from './plan.js';

/**
 * `drift` (schedule): plans every environment with -detailed-exitcode. Drift is a flag, not a status
 * (DESIGN.md): no deployment is created; each environment gets a report with `drift` set, written
 * as a file and as the check run `beta9 / drift / <environment>`.
 */
export async function drift(ctx: CommandContext): Promise<CommandResult> {
  const changes = await resolveChanges(ctx, { all: true });
  const rows: string[][] = [];
  const details: string[] = [];
  const failures: CommandResult['failures'] = [];
  let drifted = 0;
  for (const env of changes.environments) {
    const timings: Timings = {};
    const started = ctx.now();
    let report: RunReport;
    const base = {
      version: 1 as const,
      environment: env.name,
      operation: 'apply' as const,
      commit: ctx.inputs.github.sha,
      run_url: ctx.inputs.github.runUrl,
    };
    try {
      const loaded = await loadEnvironment(ctx, env.name, env.path);
      if (!loaded.config)
        throw new Error(`${env.path} is invalid: ${diagnosticLines(loaded.diagnostics).join('; ')}`);
      const ws = await prepareWorkspace(ctx, loaded.config, timings);
      const { summary, changes: planned } = await planWorkspace(ctx, ws, timings);
      // An environment that was never applied plans only creates: that is "pending", not drift.
      const c = summary.counts;
      const neverApplied =
        c.create > 0 && c.update + c.delete + c.replace + c.no_op === 0 && summary.drift.length === 0;
      const detected = !neverApplied && (planned || summary.drift.length > 0);
      if (detected) drifted++;
      report = {
        ...base,
        status: 'ready',
        started_at: started.toISOString(),
        finished_at: ctx.now().toISOString(),
        timings,
        counts: summary.counts,
        outputs: {},
        drift: { detected, checked_at: ctx.now().toISOString() },
      };
      rows.push([
        `\`${env.name}\``,
        neverApplied ? '⏳ not applied yet' : detected ? '⚠️ drift' : '✅ in sync',
        countsLine(summary.counts),
      ]);
      if (detected) {
        ctx.io.warning(
          `${env.name}: the cloud differs from ${env.path}. Re-run apply to converge, or update the file.`,
          { title: `beta9 drift: ${env.name}`, file: env.path, startLine: 1 },
        );
        details.push(`### \`${env.name}\`\n\n${ctx.engine.renderPlanMarkdown(summary, env.name)}`);
      }
    } catch (err) {
      const e = describeError(err);
      e.message = ctx.redact(e.message);
      report = {
        ...base,
        status: 'failed',
        started_at: started.toISOString(),
        finished_at: ctx.now().toISOString(),
        timings,
        outputs: {},
        error: e,
      };
      failures.push({ environment: env.name, message: e.message });
      rows.push([`\`${env.name}\``, '❌ check failed', e.message]);
      ctx.io.error(`${env.name}: drift check failed: ${e.message}`, { title: `beta9 drift: ${env.name}` });
    }
    writeReportFile(ctx.inputs.reportDirectory, report, 'drift');
    try {
      await ctx.github.publishReport(report, 'drift');
    } catch (err) {
      ctx.io.warning(`Could not publish the drift check run for ${env.name}: ${(err as Error).message}`);
    }
  }
  const text = [
    '## Beta9 drift',
    rows.length > 0 ? markdownTable(['Environment', 'Drift', 'Plan'], rows) : 'No environment files.',
    ...details,
  ].join('\n\n');
  ctx.io.summary(text);
  return {
    environments: changes.environments.map((e) => e.name),
    hasChanges: drifted > 0,
    planSummary: ctx.redact(text),
    failures,
  };
}

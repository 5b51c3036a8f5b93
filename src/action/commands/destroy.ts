import type { CommandContext, CommandResult } from '../context.js';
import { prepareWorkspace, resolveChanges, loadEnvironment, timed, diagnosticLines } from '../environment.js';
import { DeploymentRun } from '../report.js';
import { countsLine } from '../render.js';
import { ApplyStop } from './apply.js';
import { planWorkspace } from './plan.js';
import { checkRemoval } from './validate.js';

/**
 * `destroy`: for each environment whose file the change removed, and only when the file's last
 * version on the default branch had `deletion_protection: false`, destroys everything in its state.
 * Statuses: destroy_queued → destroying → destroyed (or failed).
 */
export async function destroy(ctx: CommandContext): Promise<CommandResult> {
  const changes = await resolveChanges(ctx);
  const failures: CommandResult['failures'] = [];
  const summaries: string[] = [];
  for (const env of changes.environments) {
    if (ctx.inputs.environments !== 'detect') {
      failures.push({ environment: env.name, message: 'the environment file still exists' });
      ctx.io.error(
        `${env.name}: not destroyed: ${env.path} still exists. Destroy removes environments whose file was removed.`,
        { file: env.path, startLine: 1 },
      );
    }
  }
  for (const env of changes.removed) {
    const run = new DeploymentRun(ctx, env.name, 'destroy');
    await run.start('destroy_queued');
    try {
      const verdict = await checkRemoval(ctx, env, changes.base);
      if (!verdict.allowed)
        throw new ApplyStop(
          'deletion_protected',
          verdict.message,
          'Restore the file, or follow the two steps above.',
        );
      const previous = await loadEnvironment(ctx, env.name, env.path, changes.base);
      if (!previous.config)
        throw new ApplyStop(
          'invalid_config',
          diagnosticLines(previous.diagnostics).join('; '),
          `Restore ${env.path}.`,
        );
      await run.phase('destroying');
      const ws = await prepareWorkspace(ctx, previous.config, run.timings);
      const { summary, changes: any, files } = await planWorkspace(ctx, ws, run.timings, { destroy: true });
      run.counts = summary.counts;
      if (any) {
        await timed(ctx, run.timings, 'destroy', () =>
          ctx.io.group(`${env.name}: ${ctx.inputs.terraformBinary} apply (destroy)`, () =>
            ws.tf.apply(files.planFile),
          ),
        );
      } else ctx.io.info(`${env.name}: the state is already empty.`);
      await run.finish({ status: 'destroyed' });
      summaries.push(`### \`${env.name}\` 🗑️ destroyed\n\n${countsLine(summary.counts)}`);
    } catch (err) {
      const report = await run.finish({ status: 'failed', error: err });
      const e = report.error;
      failures.push({ environment: env.name, message: e?.message ?? 'destroy failed' });
      ctx.io.error(`${env.name}: destroy failed: ${e?.message}`, {
        title: `beta9 destroy: ${env.name}`,
        file: env.path,
        startLine: 1,
      });
      summaries.push(
        `### \`${env.name}\` ❌ not destroyed\n\n${e?.message}${e?.next_step ? `\n\nNext step: ${e.next_step}` : ''}`,
      );
    }
  }
  const text = [
    '## Beta9 destroy',
    ...(summaries.length > 0 ? summaries : ['No environment file was removed.']),
  ].join('\n\n');
  ctx.io.summary(text);
  return {
    environments: changes.removed.map((e) => e.name),
    hasChanges: changes.removed.length > 0,
    planSummary: ctx.redact(text),
    failures,
    removedEnvironments: changes.removed.map((e) => e.name),
  };
}

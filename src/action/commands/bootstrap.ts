import type { CommandContext, CommandResult } from '../context.js';
import {
  diagnosticLines,
  loadEnvironment,
  prepareWorkspace,
  publicOutputs,
  resolveChanges,
} from '../environment.js';
import { DeploymentRun } from '../report.js';
import { ApplyStop, bootstrapWorkspace } from './apply.js';

/**
 * `bootstrap`: reruns only the cluster bootstrap from the current Terraform outputs (no plan, no
 * apply). Reported as an apply deployment that goes straight to `bootstrapping`.
 */
export async function bootstrap(ctx: CommandContext): Promise<CommandResult> {
  const changes = await resolveChanges(ctx);
  const failures: CommandResult['failures'] = [];
  const summaries: string[] = [];
  for (const env of changes.environments) {
    const run = new DeploymentRun(ctx, env.name, 'apply');
    await run.start('queued');
    try {
      const loaded = await loadEnvironment(ctx, env.name, env.path);
      if (!loaded.config) {
        throw new ApplyStop(
          'invalid_config',
          `${env.path} is invalid: ${diagnosticLines(loaded.diagnostics).join('; ')}`,
          `Fix ${env.path} first.`,
        );
      }
      const ws = await prepareWorkspace(ctx, loaded.config, run.timings);
      const outputs = await ws.tf.output();
      if (Object.keys(outputs).length === 0) {
        throw new ApplyStop(
          'not_provisioned',
          `environment '${env.name}' has no Terraform outputs: it was never applied`,
          'Run the apply command first.',
        );
      }
      run.outputs = publicOutputs(outputs);
      await bootstrapWorkspace(ctx, run, ws, outputs);
      await run.finish({ status: 'ready' });
      summaries.push(`### \`${env.name}\` ✅ bootstrapped`);
    } catch (err) {
      const report = await run.finish({ status: 'failed', error: err });
      failures.push({ environment: env.name, message: report.error?.message ?? 'bootstrap failed' });
      ctx.io.error(`${env.name}: bootstrap failed: ${report.error?.message}`, {
        title: `beta9 bootstrap: ${env.name}`,
      });
      summaries.push(
        `### \`${env.name}\` ❌ bootstrap failed\n\n${report.error?.message}${report.error?.next_step ? `\n\nNext step: ${report.error.next_step}` : ''}`,
      );
    }
  }
  const text = [
    '## Beta9 bootstrap',
    ...(summaries.length > 0 ? summaries : ['No environment selected.']),
  ].join('\n\n');
  ctx.io.summary(text);
  return {
    environments: changes.environments.map((e) => e.name),
    hasChanges: changes.environments.length > 0,
    planSummary: ctx.redact(text),
    failures,
  };
}

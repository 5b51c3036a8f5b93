import type { ResourceChangeSummary } from '../../engine/plan/types.js';
import type { CommandContext, CommandResult, TerraformOutputs } from '../context.js';
import {
  diagnosticLines,
  loadEnvironment,
  prepareWorkspace,
  publicOutputs,
  resolveChanges,
  timed,
  type Workspace,
} from '../environment.js';
import { countsLine, markdownTable, parseReviewedPlans, type ReviewedPlan } from '../render.js';
import { DeploymentRun } from '../report.js';
import { planWorkspace } from './plan.js';

/** An expected stop the user resolves (not a crash): carries the class and the next step for the report. */
export class ApplyStop extends Error {
  constructor(
    readonly failureClass: string,
    message: string,
    readonly nextStep: string,
  ) {
    super(message);
    this.name = 'ApplyStop';
  }
}

/** Stateful deletes/replaces in the fresh plan that the reviewed plan did not show. */
export function unreviewedDestructive(
  fresh: ResourceChangeSummary[],
  reviewed: ReviewedPlan | undefined,
): ResourceChangeSummary[] {
  if (!reviewed || reviewed.error) return fresh;
  const seen = new Set(reviewed.destructive.map((d) => d.address));
  return fresh.filter((r) => !seen.has(r.address));
}

/** The plan the reviewers saw: the sticky comment of the pull request this push merged. */
export async function findReviewedPlans(
  ctx: CommandContext,
): Promise<{ pr?: number; plans: Map<string, ReviewedPlan> }> {
  try {
    const prs = await ctx.github.pullRequestsForCommit(ctx.inputs.github.sha);
    for (const pr of prs) {
      const body = await ctx.github.findPlanComment(pr);
      if (body) return { pr, plans: parseReviewedPlans(body) };
    }
    return { pr: prs[0], plans: new Map() };
  } catch (err) {
    ctx.io.warning(`Could not read the reviewed plan of the merged pull request: ${(err as Error).message}`);
    return { plans: new Map() };
  }
}

/** Installs Beta9 into the cluster from the Terraform outputs, reporting `bootstrapping`. */
export async function bootstrapWorkspace(
  ctx: CommandContext,
  run: DeploymentRun,
  ws: Workspace,
  outputs: TerraformOutputs,
): Promise<void> {
  await run.phase('bootstrapping');
  const outcome = await timed(ctx, run.timings, 'bootstrap', () =>
    ctx.io.group(`${ws.name}: bootstrap`, () =>
      ctx.engine.bootstrap({
        model: ws.model,
        outputs,
        credentials: ws.credentials,
        ingressController: ctx.inputs.ingressController,
        timeoutMinutes: ctx.inputs.timeoutMinutes,
        secrets: [],
        reporter: {
          phaseStarted: (phase, detail) => ctx.io.info(`bootstrap ${phase}: ${detail}`),
          phaseFinished: (phase, seconds) =>
            ctx.io.info(`bootstrap ${phase}: done in ${seconds.toFixed(1)}s`),
          log: (line) => ctx.io.info(line),
        },
      }),
    ),
  );
  if (!outcome.ok) {
    throw new ApplyStop(
      `bootstrap_${outcome.failureClass}`,
      `bootstrap ${outcome.phase}: ${outcome.message}`,
      outcome.nextStep,
    );
  }
  for (const r of outcome.releases)
    ctx.io.info(
      `helm release ${r.namespace}/${r.name}: ${r.chart} ${r.chartVersion} revision ${r.revision} ${r.status}`,
    );
  if (outcome.gatewayUrl) run.outputs.gateway_url = outcome.gatewayUrl;
}

async function applyOne(
  ctx: CommandContext,
  env: { name: string; path: string },
  reviewed: { pr?: number; plans: Map<string, ReviewedPlan> },
): Promise<{ ok: boolean; message?: string; summary: string }> {
  const run = new DeploymentRun(ctx, env.name, 'apply');
  await run.start('queued');
  try {
    const loaded = await loadEnvironment(ctx, env.name, env.path);
    if (!loaded.config) {
      throw new ApplyStop(
        'invalid_config',
        `${env.path} is invalid: ${diagnosticLines(loaded.diagnostics).join('; ')}`,
        `Fix ${env.path} and push again.`,
      );
    }
    await run.phase('provisioning');
    const ws = await prepareWorkspace(ctx, loaded.config, run.timings);
    const { summary, changes, files } = await planWorkspace(ctx, ws, run.timings);
    run.counts = summary.counts;

    const unreviewed = unreviewedDestructive(summary.destructive, reviewed.plans.get(env.name));
    if (unreviewed.length > 0 && !ctx.inputs.allowStatefulDestroy) {
      const list = unreviewed.map((r) => `${r.address} (${r.action})`).join(', ');
      throw new ApplyStop(
        'unreviewed_destructive_change',
        `the plan now deletes or replaces stateful resources that the reviewed plan did not show: ${list}`,
        reviewed.pr
          ? `Nothing was applied. Open a pull request whose plan shows this change, review it, and merge it (pull request #${reviewed.pr} did not show it).`
          : 'Nothing was applied. This push has no reviewed pull request plan; make the change through a pull request, or set allow-stateful-destroy: true for one deliberate run.',
      );
    }

    if (changes) {
      await timed(ctx, run.timings, 'apply', () =>
        ctx.io.group(`${env.name}: ${ctx.inputs.terraformBinary} apply`, () => ws.tf.apply(files.planFile)),
      );
    } else {
      ctx.io.info(`${env.name}: no changes; nothing to apply.`);
    }
    const outputs = await ws.tf.output();
    run.outputs = publicOutputs(outputs);

    if (ctx.inputs.bootstrap) await bootstrapWorkspace(ctx, run, ws, outputs);
    await run.finish({ status: 'ready' });
    const outputRows = Object.entries(run.outputs).map(([k, v]) => [`\`${k}\``, ctx.redact(String(v))]);
    const table = outputRows.length > 0 ? `\n\n${markdownTable(['Output', 'Value'], outputRows)}` : '';
    const timings = Object.entries(run.timings)
      .map(([phase, seconds]) => `${phase} ${seconds}s`)
      .join(' · ');
    return {
      ok: true,
      summary: `### \`${env.name}\` ✅ ready\n\n${countsLine(summary.counts)}\n\n${timings}${table}`,
    };
  } catch (err) {
    const report = await run.finish({ status: 'failed', error: err });
    const e = report.error;
    ctx.io.error(`${env.name}: apply failed: ${e?.message}`, {
      title: `beta9 apply: ${env.name}`,
      file: env.path,
      startLine: 1,
    });
    return {
      ok: false,
      message: e?.message,
      summary: `### \`${env.name}\` ❌ failed\n\n${e?.class}: ${e?.message}${e?.next_step ? `\n\nNext step: ${e.next_step}` : ''}`,
    };
  }
}

/** `apply` (push to the default branch): a deployment per environment, plan, guarded apply, bootstrap, report. */
export async function apply(ctx: CommandContext): Promise<CommandResult> {
  const changes = await resolveChanges(ctx);
  if (changes.removed.length > 0) {
    ctx.io.info(
      `Removed environment files (${changes.removed.map((e) => e.name).join(', ')}) are handled by the destroy command.`,
    );
  }
  const reviewed =
    changes.environments.length > 0
      ? await findReviewedPlans(ctx)
      : { plans: new Map<string, ReviewedPlan>() };
  const failures: CommandResult['failures'] = [];
  const summaries: string[] = [];
  for (const env of changes.environments) {
    const result = await applyOne(ctx, env, reviewed);
    summaries.push(result.summary);
    if (!result.ok) failures.push({ environment: env.name, message: result.message ?? 'apply failed' });
  }
  const text = [
    '## Beta9 apply',
    changes.note ?? '',
    ...(summaries.length > 0 ? summaries : ['No environment changed.']),
  ]
    .filter(Boolean)
    .join('\n\n');
  ctx.io.summary(text);
  return {
    environments: changes.environments.map((e) => e.name),
    hasChanges: changes.environments.length > 0,
    planSummary: ctx.redact(text),
    failures,
    removedEnvironments: changes.removed.map((e) => e.name),
  };
}

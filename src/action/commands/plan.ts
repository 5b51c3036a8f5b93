import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PlanSummary } from '../../engine/plan/types.js';
import type { CommandContext, CommandResult } from '../context.js';
import {
  annotate,
  describeError,
  diagnosticLines,
  loadEnvironment,
  prepareWorkspace,
  resolveChanges,
  timed,
  type Timings,
  type Workspace,
} from '../environment.js';
import { parseSections, renderPlanComment, type EnvironmentOutcome, type ReviewedPlan } from '../render.js';
import { FORK_NOTE, checkRemoval, validate } from './validate.js';

export interface PlanFiles {
  planFile: string;
  planJsonFile: string;
}

/** `plan -out`, `show -json`, both written to the report directory for the artifact upload. */
export async function planWorkspace(
  ctx: CommandContext,
  ws: Workspace,
  timings: Timings,
  options: { destroy?: boolean } = {},
): Promise<{ summary: PlanSummary; changes: boolean; files: PlanFiles }> {
  const dir = join(ctx.inputs.reportDirectory, ws.name);
  mkdirSync(dir, { recursive: true });
  const planFile = join(ws.dir, options.destroy ? 'destroy.tfplan' : 'plan.tfplan');
  const { changes } = await timed(ctx, timings, 'plan', () =>
    ctx.io.group(`${ws.name}: ${ctx.inputs.terraformBinary} plan${options.destroy ? ' -destroy' : ''}`, () =>
      ws.tf.plan({ out: planFile, destroy: options.destroy }),
    ),
  );
  const json = await ws.tf.showJson(planFile);
  const summary = ctx.engine.summarizePlan(json);
  const planJsonFile = join(dir, 'plan.json');
  // The plan JSON holds values the summary redacts; it goes only to the run's own artifact storage.
  writeFileSync(planJsonFile, JSON.stringify(json));
  copyFileSync(planFile, join(dir, basename(planFile)));
  writeFileSync(join(dir, 'plan-summary.json'), JSON.stringify(summary, null, 2));
  return { summary, changes, files: { planFile, planJsonFile } };
}

export function reviewedPlan(environment: string, headSha: string, summary: PlanSummary): ReviewedPlan {
  return {
    environment,
    headSha,
    counts: summary.counts,
    destructive: summary.destructive.map((r) => ({ address: r.address, action: r.action })),
  };
}

/**
 * Writes this job's sections into the sticky comment. Plan jobs of one pull request run in parallel
 * (a matrix), and GitHub has no compare-and-swap for comments, so each job re-reads after a short
 * pause and writes again if another job's write dropped its sections.
 */
export async function writeSections(
  ctx: CommandContext,
  prNumber: number,
  sections: Map<string, EnvironmentOutcome>,
  keep?: string[],
) {
  const header = { sha: ctx.inputs.github.sha, runUrl: ctx.inputs.github.runUrl };
  for (let attempt = 0; attempt < 3; attempt++) {
    const previous = await ctx.github.findPlanComment(prNumber);
    const body = ctx.redact(renderPlanComment(header, sections, { previous, keep }));
    await ctx.github.upsertPlanComment(prNumber, body);
    await ctx.sleep(200 + Math.floor(Math.random() * 400));
    const now = await ctx.github.findPlanComment(prNumber);
    const mine = parseSections(body);
    const theirs = now ? parseSections(now) : new Map<string, string>();
    if ([...sections.keys()].every((name) => theirs.get(name) === mine.get(name))) return;
    ctx.io.info('The plan comment changed under us (another plan job); writing our sections again.');
  }
}

/** The cost change against the file's base version; a cost that cannot be computed never fails a plan. */
async function estimateCostLine(
  ctx: CommandContext,
  ws: Workspace,
  path: string,
  base?: string,
): Promise<string | undefined> {
  if (!ctx.engine.costLine) return undefined;
  try {
    const before = base ? await loadEnvironment(ctx, ws.name, path, base) : undefined;
    return ctx.engine.costLine(ws.model, before?.config ? ctx.engine.toInfraModel(before.config) : undefined);
  } catch (err) {
    ctx.io.warning(`${ws.name}: no cost estimate: ${(err as Error).message}`);
    return undefined;
  }
}

/** `plan`: synth, init and plan each changed environment; one sticky comment per pull request. */
export async function plan(ctx: CommandContext): Promise<CommandResult> {
  const { inputs, io } = ctx;
  const pr = inputs.github.pullRequest;
  if (pr?.isFork) {
    io.info(FORK_NOTE);
    return validate(ctx);
  }
  const changes = await resolveChanges(ctx);
  const outcomes = new Map<string, EnvironmentOutcome>();
  const failures: CommandResult['failures'] = [];
  const summaries: string[] = [];
  let hasChanges = false;

  for (const env of changes.environments) {
    const loaded = await loadEnvironment(ctx, env.name, env.path);
    if (!loaded.config) {
      annotate(ctx, loaded.diagnostics);
      outcomes.set(env.name, { kind: 'invalid', messages: diagnosticLines(loaded.diagnostics) });
      failures.push({ environment: env.name, message: 'invalid environment file' });
      continue;
    }
    try {
      const timings: Timings = {};
      const ws = await prepareWorkspace(ctx, loaded.config, timings);
      const result = await planWorkspace(ctx, ws, timings);
      hasChanges ||= result.summary.hasChanges;
      const details = ctx.engine.renderPlanMarkdown(
        result.summary,
        env.name,
        Math.floor(60_000 / changes.environments.length),
      );
      const costLine = await estimateCostLine(ctx, ws, env.path, changes.base);
      outcomes.set(env.name, {
        kind: 'planned',
        plan: reviewedPlan(env.name, inputs.github.sha, result.summary),
        details,
        costLine,
      });
      summaries.push(
        ctx.engine.renderPlanMarkdown(result.summary, env.name, 200_000) +
          (costLine ? `\n\n${costLine}` : ''),
      );
    } catch (err) {
      const e = describeError(err);
      const message = ctx.redact(e.message);
      io.error(`${env.name}: plan failed: ${message}`, {
        title: `beta9 plan: ${env.name}`,
        file: env.path,
        startLine: 1,
      });
      outcomes.set(env.name, { kind: 'failed', message, nextStep: e.next_step });
      failures.push({ environment: env.name, message });
      summaries.push(
        `### \`${env.name}\`\n\n❌ Plan failed (${e.class}): ${message}${e.next_step ? `\n\nNext step: ${e.next_step}` : ''}`,
      );
    }
  }
  for (const env of changes.removed) {
    const verdict = await checkRemoval(ctx, env, changes.base);
    outcomes.set(env.name, { kind: 'destroy', allowed: verdict.allowed, message: verdict.message });
    summaries.push(`### \`${env.name}\`\n\n${verdict.message}`);
    hasChanges = true;
    if (!verdict.allowed) {
      io.error(verdict.message, { title: 'beta9: destroy blocked', file: env.path, startLine: 1 });
      failures.push({ environment: env.name, message: 'destroy blocked by deletion_protection' });
    }
  }

  if (pr && outcomes.size > 0) {
    // A job that detected the change itself owns the whole comment; a matrix job owns its sections.
    await writeSections(
      ctx,
      pr.number,
      outcomes,
      inputs.environments === 'detect' ? [...outcomes.keys()] : undefined,
    );
  }
  const planSummary = ['## Beta9 plan', changes.note ?? '', ...summaries].filter(Boolean).join('\n\n');
  io.summary(summaries.length > 0 ? planSummary : '## Beta9 plan\n\nNo environment changed.');
  return {
    environments: changes.environments.map((e) => e.name),
    hasChanges,
    planSummary: ctx.redact(planSummary),
    failures,
    removedEnvironments: changes.removed.map((e) => e.name),
  };
}

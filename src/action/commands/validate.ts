import type { ChangeSet, EnvironmentChange } from '../changes.js';
import type { CommandContext, CommandResult } from '../context.js';
import { annotate, diagnosticLines, loadEnvironment, resolveChanges } from '../environment.js';
import { markdownTable, renderPlanComment, type EnvironmentOutcome } from '../render.js';

export const FORK_NOTE =
  'This pull request comes from a fork. Forks get no cloud credentials and a read-only token, so the environment files were **validated only**: nothing was planned. A maintainer can plan the change by pushing it to a branch of this repository.';

export interface RemovalVerdict {
  environment: string;
  file: string;
  allowed: boolean;
  message: string;
}

/**
 * Removing a file destroys its environment only when the file's last version on the default branch
 * said `deletion_protection: false` (DESIGN.md "Destroy"): two deliberate, reviewed steps.
 */
export async function checkRemoval(
  ctx: CommandContext,
  env: EnvironmentChange,
  base: string | undefined,
): Promise<RemovalVerdict> {
  const branch = ctx.inputs.github.defaultBranch;
  const twoSteps =
    `To destroy it, take two steps: (1) merge a pull request that sets \`deletion_protection: false\` in ${env.path}; ` +
    `(2) then merge a pull request that removes the file. To keep the environment, restore the file.`;
  if (!base) {
    return {
      environment: env.name,
      file: env.path,
      allowed: false,
      message: `Cannot tell how ${env.path} looked on ${branch} (no base commit), so '${env.name}' is not destroyed. ${twoSteps}`,
    };
  }
  const previous = await loadEnvironment(ctx, env.name, env.path, base);
  if (!previous.config) {
    return {
      environment: env.name,
      file: env.path,
      allowed: false,
      message: `The last version of ${env.path} on ${branch} (${base.slice(0, 7)}) is not a valid environment file, so '${env.name}' is not destroyed. ${twoSteps}`,
    };
  }
  if (previous.config.deletion_protection !== false) {
    return {
      environment: env.name,
      file: env.path,
      allowed: false,
      message: `Removing ${env.path} would destroy environment '${env.name}', but its last version on ${branch} has deletion_protection: true (the default). ${twoSteps}`,
    };
  }
  return {
    environment: env.name,
    file: env.path,
    allowed: true,
    message: `Merging destroys environment '${env.name}' and all its resources (deletion_protection: false on ${branch}).`,
  };
}

export interface ValidationOutcome {
  changes: ChangeSet;
  valid: string[];
  invalid: Map<string, string[]>;
  removals: RemovalVerdict[];
}

export async function validateChange(ctx: CommandContext): Promise<ValidationOutcome> {
  const changes = await resolveChanges(ctx);
  const valid: string[] = [];
  const invalid = new Map<string, string[]>();
  for (const env of changes.environments) {
    const loaded = await loadEnvironment(ctx, env.name, env.path);
    if (loaded.config) valid.push(env.name);
    else {
      annotate(ctx, loaded.diagnostics);
      invalid.set(env.name, diagnosticLines(loaded.diagnostics));
    }
  }
  const removals: RemovalVerdict[] = [];
  for (const env of changes.removed) {
    const verdict = await checkRemoval(ctx, env, changes.base);
    removals.push(verdict);
    if (!verdict.allowed)
      ctx.io.error(verdict.message, { title: 'beta9: destroy blocked', file: env.path, startLine: 1 });
    else ctx.io.warning(verdict.message, { title: 'beta9: destroy', file: env.path, startLine: 1 });
  }
  return { changes, valid, invalid, removals };
}

export function validationSummary(outcome: ValidationOutcome, isFork: boolean): string {
  const rows: string[][] = [];
  for (const env of outcome.changes.environments) {
    const problems = outcome.invalid.get(env.name);
    rows.push([`\`${env.name}\``, env.reason, problems ? `❌ ${problems.length} problem(s)` : '✅ valid']);
  }
  for (const r of outcome.removals)
    rows.push([`\`${r.environment}\``, 'removed', r.allowed ? '🗑️ will be destroyed' : '⛔ destroy blocked']);
  const parts = ['## Beta9 validation'];
  if (isFork) parts.push(`> [!NOTE]\n> ${FORK_NOTE}`);
  if (outcome.changes.note) parts.push(outcome.changes.note);
  parts.push(
    rows.length > 0
      ? markdownTable(['Environment', 'Change', 'Result'], rows)
      : 'No environment file changed.',
  );
  for (const [name, problems] of outcome.invalid)
    parts.push(`### \`${name}\`\n\n\`\`\`\n${problems.join('\n')}\n\`\`\``);
  for (const r of outcome.removals) if (!r.allowed) parts.push(`### \`${r.environment}\`\n\n${r.message}`);
  return parts.join('\n\n');
}

export function validationFailures(outcome: ValidationOutcome): CommandResult['failures'] {
  return [
    ...[...outcome.invalid].map(([environment, problems]) => ({
      environment,
      message: `${problems.length} problem(s) in the environment file`,
    })),
    ...outcome.removals
      .filter((r) => !r.allowed)
      .map((r) => ({ environment: r.environment, message: 'destroy blocked by deletion_protection' })),
  ];
}

/**
 * `validate`: the change's environment files parse and validate, and removals are allowed. On a
 * pull request it also resets the sticky plan comment to the current set of environments, so the
 * plan jobs that follow (one per environment) fill in their own section.
 */
export async function validate(ctx: CommandContext): Promise<CommandResult> {
  const pr = ctx.inputs.github.pullRequest;
  const outcome = await validateChange(ctx);
  ctx.io.summary(validationSummary(outcome, Boolean(pr?.isFork)));
  if (pr?.isFork) ctx.io.notice(FORK_NOTE, { title: 'beta9: validated only' });

  if (pr && !pr.isFork && ctx.inputs.environments === 'detect') {
    const sections = new Map<string, EnvironmentOutcome>();
    for (const name of outcome.valid) sections.set(name, { kind: 'pending' });
    for (const [name, messages] of outcome.invalid) sections.set(name, { kind: 'invalid', messages });
    for (const r of outcome.removals)
      sections.set(r.environment, { kind: 'destroy', allowed: r.allowed, message: r.message });
    const header = {
      sha: ctx.inputs.github.sha,
      runUrl: ctx.inputs.github.runUrl,
      note: outcome.changes.note,
    };
    if (sections.size > 0) {
      const body = renderPlanComment(header, sections, { keep: [...sections.keys()] });
      await ctx.github.upsertPlanComment(pr.number, ctx.redact(body));
    } else if (await ctx.github.findPlanComment(pr.number)) {
      // An earlier push changed environments and this one no longer does: say so instead of leaving stale plans.
      const body = renderPlanComment(
        { ...header, note: 'This pull request no longer changes any environment file.' },
        sections,
        {
          keep: [],
        },
      );
      await ctx.github.upsertPlanComment(pr.number, body);
    }
  }

  const names = outcome.changes.environments.map((e) => e.name);
  return {
    environments: names,
    hasChanges: names.length > 0 || outcome.removals.length > 0,
    planSummary: '',
    failures: validationFailures(outcome),
    removedEnvironments: outcome.removals.filter((r) => r.allowed).map((r) => r.environment),
  };
}

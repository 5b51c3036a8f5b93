/**
 * Pure renderers for what the App writes on a pull request: the sticky intent comment and
 * the `beta9 / validate` check run output with its annotations.
 */
import { formatDiagnostic, type Diagnostic } from '../engine/config/types.js';
import type { EnvironmentIntent } from './intent.js';

/** Hidden marker that identifies the App's one comment on a pull request. */
export const COMMENT_MARKER = '<!-- beta9-provisioner:intent -->';
export const CHECK_NAME = 'beta9 / validate';
/** GitHub's limits: a comment body and a check-run summary. */
const COMMENT_LIMIT = 65_536;
const SUMMARY_LIMIT = 65_535;

export interface PullRequestReport {
  intents: EnvironmentIntent[];
  /** Every problem of every changed file, with refusals (name taken, deletion protection). */
  problems: Diagnostic[];
  /** Set for a pull request from a fork. */
  fork: { repo: string } | null;
  headSha: string;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  message: string;
  title?: string;
}

/** One annotation per problem; columns only when the problem is on one line (GitHub's rule). */
export function toAnnotations(problems: readonly Diagnostic[]): Annotation[] {
  return problems.map((d) => {
    const endLine = Math.max(d.endLine ?? d.line, d.line);
    const annotation: Annotation = {
      path: d.file,
      start_line: Math.max(1, d.line),
      end_line: Math.max(1, endLine),
      annotation_level: 'failure',
      message: d.message,
    };
    if (endLine === d.line && d.column >= 1) {
      annotation.start_column = d.column;
      annotation.end_column = Math.max(d.endColumn ?? d.column, d.column);
    }
    return annotation;
  });
}

const money = (n: number): string =>
  `$${Math.abs(n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** `$1,200.00 → $1,450.00 (+$250.00)` */
export function formatCostChange(before: number | null, after: number | null): string {
  const delta = (after ?? 0) - (before ?? 0);
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  const from = before === null ? 'nothing' : money(before);
  const to = after === null ? 'nothing' : money(after);
  return `${from} → ${to} (${sign}${money(delta)}/month)`;
}

const ACTION_WORDS: Record<EnvironmentIntent['action'], string> = {
  create: 'created',
  change: 'changed',
  destroy: 'destroyed',
  unchanged: 'no infrastructure change',
  invalid: 'invalid',
};

function truncate(text: string, limit: number, note: string): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit - note.length - 1)}\n${note}`;
}

/** The sticky comment: what the pull request does, in plain words, ending with the next step. */
export function renderIntentComment(report: PullRequestReport): string {
  const lines: string[] = [COMMENT_MARKER, '### Beta9 Provisioner: what this pull request does', ''];
  const { intents, problems } = report;
  if (intents.length === 0 && problems.length === 0) {
    lines.push(
      `This pull request no longer changes any environment file (as of ${report.headSha.slice(0, 7)}).`,
    );
    return lines.join('\n');
  }

  if (intents.length > 0) {
    lines.push('| Environment | Change | Where | Monthly cost |', '| --- | --- | --- | --- |');
    for (const intent of intents) {
      const where = intent.where ? `${intent.where.provider} ${intent.where.region}` : '—';
      const cost = intent.cost ? formatCostChange(intent.cost.before, intent.cost.after) : '—';
      lines.push(`| \`${intent.name}\` | ${ACTION_WORDS[intent.action]} | ${where} | ${cost} |`);
    }
    const costed = intents.filter((i) => i.cost);
    if (costed.length > 1) {
      const before = costed.reduce((sum, i) => sum + (i.cost!.before ?? 0), 0);
      const after = costed.reduce((sum, i) => sum + (i.cost!.after ?? 0), 0);
      lines.push('', `**Monthly cost, all environments above:** ${formatCostChange(before, after)}`);
    }
    lines.push('');
  }

  for (const intent of intents) {
    if (intent.changes.length === 0 && intent.warnings.length === 0 && intent.problems.length === 0) continue;
    lines.push(`#### \`${intent.name}\` (${ACTION_WORDS[intent.action]})`);
    for (const change of intent.changes) lines.push(`- ${change}`);
    for (const warning of intent.warnings) lines.push(`- ⚠️ **Warning:** ${warning}`);
    lines.push('');
  }

  if (problems.length > 0) {
    lines.push(
      `#### ❌ ${problems.length} problem${problems.length === 1 ? '' : 's'} to fix`,
      '',
      '```',
      ...problems.map(formatDiagnostic),
      '```',
      '',
    );
  }

  if (report.fork) {
    lines.push(
      `> This pull request comes from the fork \`${report.fork.repo}\`. Plans run only after a maintainer has reviewed it: a maintainer approves the workflow run, or pushes the branch to this repository.`,
      '',
    );
  }

  lines.push(
    problems.length > 0
      ? '**Next step:** fix the problems above and push; this comment and the `beta9 / validate` check update on every push.'
      : '**Next step:** review the plan posted by the plan workflow, then merge to apply. The environment status is served by the Beta9 Provisioner API.',
  );
  return truncate(
    lines.join('\n'),
    COMMENT_LIMIT,
    '\n…(truncated: see the `beta9 / validate` check for every problem)',
  );
}

/** Title, summary and conclusion of the `beta9 / validate` check run. */
export function renderCheckOutput(report: PullRequestReport): {
  conclusion: 'success' | 'failure';
  title: string;
  summary: string;
} {
  const { intents, problems } = report;
  const files = new Set(problems.map((p) => p.file));
  const conclusion = problems.length > 0 ? 'failure' : 'success';
  const title =
    problems.length > 0
      ? `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files.size} file${files.size === 1 ? '' : 's'}`
      : intents.length > 0
        ? `${intents.length} environment file${intents.length === 1 ? '' : 's'} valid`
        : 'No environment files changed';
  const lines: string[] = [];
  if (intents.length === 0 && problems.length === 0) {
    lines.push('This pull request changes no file under `environments/`.');
  }
  for (const intent of intents) lines.push(`- \`${intent.path}\`: ${ACTION_WORDS[intent.action]}`);
  if (problems.length > 0) lines.push('', '```', ...problems.map(formatDiagnostic), '```');
  if (report.fork)
    lines.push('', `From the fork \`${report.fork.repo}\`: plans run only after a maintainer's review.`);
  return { conclusion, title, summary: truncate(lines.join('\n'), SUMMARY_LIMIT, '…(truncated)') };
}

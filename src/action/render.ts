import type { PlanCounts } from '../engine/report/types.js';
import { PLAN_COMMENT_MARKER, PLAN_DATA_END, PLAN_DATA_START } from './github.js';

/**
 * Pure renderers for the sticky plan comment and the job summary (Atlantis style: one template per
 * outcome, each ending with the next step). The comment carries each environment's reviewed plan
 * as hidden JSON so `apply` can tell what the reviewers saw.
 */

/** GitHub rejects comments over 65,536 characters. */
export const COMMENT_LIMIT = 65_536;

export interface ReviewedChange {
  address: string;
  action: string;
}

/** What the reviewers of a pull request saw for one environment. */
export interface ReviewedPlan {
  environment: string;
  headSha: string;
  counts?: PlanCounts;
  /** Deletes and replaces of stateful resources shown in the plan. */
  destructive: ReviewedChange[];
  /** Present when the plan could not be made (then nothing is acknowledged). */
  error?: string;
}

export type EnvironmentOutcome =
  | { kind: 'planned'; plan: ReviewedPlan; details: string; costLine?: string }
  | { kind: 'pending' }
  | { kind: 'invalid'; messages: string[] }
  | { kind: 'failed'; message: string; nextStep?: string }
  | { kind: 'destroy'; allowed: boolean; message: string };

const sectionStart = (name: string) => `<!-- beta9-provisioner:env:${name} -->`;
const sectionEnd = (name: string) => `<!-- /beta9-provisioner:env:${name} -->`;

/** JSON safe inside an HTML comment. */
function hiddenJson(value: unknown): string {
  return `${PLAN_DATA_START} ${JSON.stringify(value).replace(/>/g, '\\u003e')} ${PLAN_DATA_END}`;
}

export function countsLine(c: PlanCounts): string {
  return `**${c.create}** to add, **${c.update}** to change, **${c.replace}** to replace, **${c.delete}** to destroy`;
}

export function renderSection(name: string, outcome: EnvironmentOutcome, maxDetails = 20_000): string {
  const lines = [sectionStart(name), `### \`${name}\``];
  switch (outcome.kind) {
    case 'pending':
      lines.push('⏳ Planning…');
      break;
    case 'invalid':
      lines.push('❌ The environment file is invalid:', '', '```', ...outcome.messages, '```');
      break;
    case 'failed':
      lines.push(`❌ Plan failed: ${outcome.message}`);
      if (outcome.nextStep) lines.push('', `Next step: ${outcome.nextStep}`);
      lines.push(hiddenJson({ environment: name, destructive: [], error: outcome.message }));
      break;
    case 'destroy':
      lines.push(outcome.allowed ? `🗑️ ${outcome.message}` : `⛔ ${outcome.message}`);
      break;
    case 'planned': {
      // The engine's renderer brings its own heading, verdict, destructive warnings and details.
      lines.pop();
      const details =
        outcome.details.length <= maxDetails && maxDetails > 0
          ? outcome.details
          : `${countsLine(outcome.plan.counts ?? { create: 0, update: 0, delete: 0, replace: 0, read: 0, no_op: 0 })}\n\nThe plan of \`${name}\` is too large for this comment; it is in the job summary and the plan artifact of the run.`;
      lines.push(details);
      if (outcome.costLine) lines.push('', outcome.costLine);
      lines.push(hiddenJson(outcome.plan));
      break;
    }
  }
  lines.push(sectionEnd(name));
  return lines.join('\n');
}

export interface CommentHeader {
  sha: string;
  runUrl: string;
  note?: string;
}

function header(h: CommentHeader): string {
  return [
    PLAN_COMMENT_MARKER,
    '## Beta9 plan',
    `Commit \`${h.sha.slice(0, 7)}\` · [workflow run](${h.runUrl})${h.note ? `\n\n${h.note}` : ''}`,
  ].join('\n');
}

const FOOTER =
  '---\nMerging this pull request applies these plans and installs Beta9. If the plan changes after review in a way that destroys or replaces a stateful resource, apply stops and asks for a new review.';

/** Sections of an existing comment by environment name. */
export function parseSections(body: string): Map<string, string> {
  const sections = new Map<string, string>();
  const re = /<!-- beta9-provisioner:env:([a-z0-9-]+) -->[\s\S]*?<!-- \/beta9-provisioner:env:\1 -->/g;
  for (const m of body.matchAll(re)) sections.set(m[1] ?? '', m[0]);
  return sections;
}

/** Reviewed plans stored in a comment, by environment. */
export function parseReviewedPlans(body: string): Map<string, ReviewedPlan> {
  const plans = new Map<string, ReviewedPlan>();
  for (const [name, section] of parseSections(body)) {
    const start = section.indexOf(PLAN_DATA_START);
    if (start < 0) continue;
    const end = section.indexOf(PLAN_DATA_END, start + PLAN_DATA_START.length);
    try {
      const data = JSON.parse(section.slice(start + PLAN_DATA_START.length, end).trim()) as ReviewedPlan;
      plans.set(name, {
        ...data,
        environment: name,
        destructive: Array.isArray(data.destructive) ? data.destructive : [],
      });
    } catch {
      // A hand-edited comment: treat as not reviewed rather than fail the apply.
    }
  }
  return plans;
}

/**
 * Builds the full comment. `sections` replaces the named sections of `previous`; with `reset`,
 * sections of environments not in `keep` are dropped (a new push that no longer touches them).
 */
export function renderPlanComment(
  h: CommentHeader,
  sections: Map<string, EnvironmentOutcome>,
  options: { previous?: string; keep?: string[] } = {},
): string {
  const merged = new Map<string, string>();
  if (options.previous) {
    for (const [name, text] of parseSections(options.previous)) {
      if (!options.keep || options.keep.includes(name)) merged.set(name, text);
    }
  }
  const names = new Set([...merged.keys(), ...sections.keys()]);
  const budget = Math.floor((COMMENT_LIMIT - 2_000) / Math.max(1, names.size));
  for (const [name, outcome] of sections) {
    let text = renderSection(name, outcome, Math.max(500, budget - 3_000));
    if (text.length > budget && outcome.kind === 'planned') text = renderSection(name, outcome, 0);
    merged.set(name, text);
  }
  const ordered = [...merged.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, t]) => t);
  const body = [header(h), ...ordered, FOOTER].join('\n\n');
  if (body.length <= COMMENT_LIMIT) return body;
  // Last resort: keep the hidden data (apply relies on it) and the counts, drop everything else.
  return [header(h), ...ordered.map((t) => t.replace(/<details>[\s\S]*?<\/details>/g, '')), FOOTER]
    .join('\n\n')
    .slice(0, COMMENT_LIMIT);
}

export function markdownTable(head: string[], rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

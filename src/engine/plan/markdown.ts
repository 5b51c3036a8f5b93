import { redactText } from './redact.js';
import { KNOWN_AFTER_APPLY } from './summarize.js';
import type {
  AttributeChange,
  ChangeAction,
  OutputChangeSummary,
  PlanSummary,
  ResourceChangeSummary,
} from './types.js';

/** GitHub rejects issue and pull request comments longer than this. */
export const COMMENT_LIMIT = 65_536;
/** GitHub's limit for one step's job summary (1 MiB). */
export const JOB_SUMMARY_LIMIT = 1_048_576;

export interface EnvironmentPlan {
  environment: string;
  summary?: PlanSummary;
  /** The plan could not be made; shown instead of counts, with its next step. */
  error?: { class?: string; message: string; nextStep?: string };
  /** Monthly cost difference, e.g. "+$412.00/month" (see `formatCostDelta`). */
  costDelta?: string;
}

export interface RenderOptions {
  /** Hard upper bound on the returned length (default: the PR comment limit). */
  maxChars?: number;
  /** Where the complete plan can be read when it does not fit, e.g. "the job summary of run 123". */
  fullPlanLocation?: string;
  /** Heading text (default "Beta9 plan"). */
  title?: string;
  /** Link to the workflow run, shown in the footer. */
  runUrl?: string;
  /** What the reader can do next, ending the comment (e.g. "Merge to apply."). */
  nextStep?: string;
  /** Attribute lines shown per resource before "… and N more" (default 40). */
  maxAttributesPerResource?: number;
  /** Destructive warnings listed before "… and N more" (default 25). */
  maxWarnings?: number;
}

const SYMBOL: Record<ChangeAction, string> = {
  create: '+',
  update: '!',
  delete: '-',
  replace: '-/+',
  read: ' ',
  no_op: ' ',
  forget: '-',
};

const VERB: Record<ChangeAction, string> = {
  create: 'create',
  update: 'update in place',
  delete: 'destroy',
  replace: 'replace',
  read: 'read',
  no_op: 'no change',
  forget: 'forget (removed from state, not destroyed)',
};

/** Priority of a detail block when space is short: lower numbers are kept first. */
const PRIORITY: Record<ChangeAction, number> = {
  replace: 1,
  delete: 2,
  forget: 3,
  update: 3,
  create: 5,
  read: 7,
  no_op: 8,
};

interface Block {
  env: number;
  order: number;
  priority: number;
  section: 'resources' | 'drift' | 'outputs';
  text: string;
}

/**
 * Renders plans of one or more environments as GitHub Markdown: a one-line verdict, the
 * destructive warnings, a table of counts per environment, then the details in collapsible
 * sections. The result is always shorter than `maxChars`; when the details do not fit, the
 * most important ones (destructive, replace, delete, update, drift, create, outputs, reads)
 * are kept and the text says how many were left out and where to read them.
 */
export function renderPlanMarkdown(
  plans: EnvironmentPlan | EnvironmentPlan[],
  opts: RenderOptions = {},
): string {
  const envs = Array.isArray(plans) ? plans : [plans];
  const maxChars = opts.maxChars ?? COMMENT_LIMIT;
  const location = opts.fullPlanLocation ?? 'the job summary and the plan artifact of this run';
  const maxAttrs = opts.maxAttributesPerResource ?? 40;

  const head = [
    `### ${opts.title ?? 'Beta9 plan'}`,
    '',
    verdict(envs),
    ...warnings(envs, opts.maxWarnings ?? 25),
    ...errors(envs),
    ...incomplete(envs),
    '',
    ...table(envs),
  ].join('\n');
  const footerParts = [opts.nextStep, opts.runUrl ? `[Workflow run](${opts.runUrl})` : undefined].filter(
    Boolean,
  );
  const footer = footerParts.length ? `\n---\n${footerParts.join(' · ')}\n` : '';

  const blocks: Block[] = [];
  envs.forEach((env, e) => {
    const s = env.summary;
    if (!s) return;
    s.resources.forEach((r, i) =>
      blocks.push({
        env: e,
        order: i,
        priority: r.destructive ? 0 : PRIORITY[r.action],
        section: 'resources',
        text: resourceBlock(r, maxAttrs),
      }),
    );
    s.drift.forEach((r, i) =>
      blocks.push({ env: e, order: i, priority: 4, section: 'drift', text: resourceBlock(r, maxAttrs) }),
    );
    s.outputs.forEach((o, i) =>
      blocks.push({ env: e, order: i, priority: 6, section: 'outputs', text: outputLine(o) }),
    );
  });

  // Reserve room for the wrappers, the notes about left-out details, and the footer.
  const noteRoom = 600 + location.length * (envs.length + 1);
  const wrapperRoom = envs.length * (300 + location.length);
  let budget = maxChars - head.length - footer.length - noteRoom - wrapperRoom;
  const kept = new Set<Block>();
  const sorted = [...blocks].sort((a, b) => a.priority - b.priority || a.env - b.env || a.order - b.order);
  for (const b of sorted) {
    const cost = b.text.length + 1;
    if (cost > budget) break;
    budget -= cost;
    kept.add(b);
  }
  const omitted = blocks.length - kept.size;

  const parts = [head];
  if (omitted > 0) {
    parts.push(
      '',
      '> [!NOTE]',
      `> This plan is too large for one comment: ${kept.size} of ${blocks.length} changes are shown below, the most important first. ` +
        `The complete plan is in ${location}.`,
    );
  }
  envs.forEach((env, e) => {
    const s = env.summary;
    if (!s || blocks.every((b) => b.env !== e)) return;
    parts.push(
      '',
      details(
        env.environment,
        s,
        blocks.filter((b) => b.env === e),
        kept,
        location,
      ),
    );
  });
  parts.push(footer);
  let text = parts.join('\n');
  if (text.length >= maxChars) text = hardTrim(text, maxChars, location);
  return text;
}

/** The same rendering with the job summary's larger limit. */
export function renderJobSummary(
  plans: EnvironmentPlan | EnvironmentPlan[],
  opts: RenderOptions = {},
): string {
  return renderPlanMarkdown(plans, {
    ...opts,
    maxChars: opts.maxChars ?? JOB_SUMMARY_LIMIT - 1024,
    fullPlanLocation: opts.fullPlanLocation ?? 'the plan artifact of this run',
  });
}

function verdict(envs: EnvironmentPlan[]): string {
  const failed = envs.filter((e) => e.error);
  const totals = { create: 0, update: 0, delete: 0, replace: 0 };
  let destructive = 0;
  let drift = 0;
  let changed = 0;
  for (const e of envs) {
    if (!e.summary) continue;
    for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += e.summary.counts[k];
    destructive += e.summary.destructive.length;
    drift += e.summary.drift.length;
    if (e.summary.hasChanges) changed++;
  }
  const counts = `${totals.create} to add, ${totals.update} to change, ${totals.delete} to destroy, ${totals.replace} to replace`;
  const where = envs.length > 1 ? ` across ${envs.length} environments` : '';
  const driftNote =
    drift > 0 ? ` ${drift} resource${drift === 1 ? ' has' : 's have'} drifted outside Terraform.` : '';
  if (failed.length > 0) {
    const names = failed
      .map((e) => `\`${e.environment}\`${e.error?.class ? ` (${e.error.class})` : ''}`)
      .join(', ');
    return `❌ **Plan failed** for ${failed.length} of ${envs.length} environment${envs.length === 1 ? '' : 's'}: ${names}.`;
  }
  if (destructive > 0) {
    return `⚠️ **${destructive} destructive change${destructive === 1 ? '' : 's'} to stateful resources** — review before merging. Plan: ${counts}${where}.${driftNote}`;
  }
  if (changed === 0) {
    return `✅ **No changes.** The infrastructure matches the configuration${where}.${driftNote}`;
  }
  return `📝 **Plan:** ${counts}${where}.${driftNote}`;
}

function warnings(envs: EnvironmentPlan[], max: number): string[] {
  const lines: string[] = [];
  for (const e of envs) {
    for (const r of e.summary?.destructive ?? []) {
      const forced = r.changes.filter((c) => c.forcesReplacement).map((c) => `\`${code(c.path)}\``);
      const why =
        r.action === 'replace'
          ? forced.length
            ? `, forced by ${forced.join(', ')}`
            : r.reason
              ? ` (${reasonText(r.reason)})`
              : ''
          : '';
      const verb = r.action === 'replace' ? 'replace' : 'destroy';
      lines.push(`> - \`${e.environment}\`: **${verb}** \`${code(r.address)}\` (${r.stateful})${why}`);
    }
  }
  if (lines.length === 0) return [];
  const shown = lines.slice(0, max);
  if (lines.length > max) shown.push(`> - … and ${lines.length - max} more, listed in the details below`);
  return [
    '',
    '> [!CAUTION]',
    '> **Destructive changes to stateful resources.** The data in them is lost unless it is backed up:',
    ...shown,
  ];
}

function errors(envs: EnvironmentPlan[]): string[] {
  const out: string[] = [];
  for (const e of envs) {
    if (!e.error) continue;
    const message = redactText(e.error.message).replace(/\s+/g, ' ').trim();
    out.push(
      '',
      `**\`${e.environment}\`**${e.error.class ? ` — ${e.error.class}` : ''}: ${clip(message, 1500)}`,
      ...(e.error.nextStep ? ['', `**Next step:** ${redactText(e.error.nextStep)}`] : []),
    );
  }
  return out;
}

function incomplete(envs: EnvironmentPlan[]): string[] {
  const names = envs.filter((e) => e.summary?.errored === true).map((e) => `\`${e.environment}\``);
  if (names.length === 0) return [];
  return [
    '',
    '> [!WARNING]',
    `> Terraform marked the plan of ${names.join(', ')} as errored: it is incomplete and cannot be applied. Read the plan log of this run.`,
  ];
}

function table(envs: EnvironmentPlan[]): string[] {
  const withCost = envs.some((e) => e.costDelta);
  const withDrift = envs.some((e) => (e.summary?.drift.length ?? 0) > 0);
  const header = ['Environment', 'Add', 'Change', 'Destroy', 'Replace', ...(withDrift ? ['Drift'] : [])];
  if (withCost) header.push('Cost');
  const align = header.map((h) => (h === 'Environment' ? ':--' : '--:'));
  const rows = envs.map((e) => {
    const name = `\`${e.environment}\``;
    const cost = withCost ? [cell(e.costDelta ?? '')] : [];
    if (!e.summary) {
      const status = e.error ? `❌ failed${e.error.class ? `: ${e.error.class}` : ''}` : 'no plan';
      return [name, status, '', '', '', ...(withDrift ? [''] : []), ...cost];
    }
    const c = e.summary.counts;
    const destroy = e.summary.destructive.some((r) => r.action === 'delete')
      ? `**${c.delete}** ⚠️`
      : String(c.delete);
    const replace = e.summary.destructive.some((r) => r.action === 'replace')
      ? `**${c.replace}** ⚠️`
      : String(c.replace);
    return [
      name,
      String(c.create),
      String(c.update),
      destroy,
      replace,
      ...(withDrift ? [String(e.summary.drift.length)] : []),
      ...cost,
    ];
  });
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`);
}

function details(name: string, s: PlanSummary, blocks: Block[], kept: Set<Block>, location: string): string {
  const n = (k: Block['section']) => blocks.filter((b) => b.section === k).length;
  const c = s.counts;
  const counted: Array<[number, string]> = [
    [c.create, 'to add'],
    [c.update, 'to change'],
    [c.delete, 'to destroy'],
    [c.replace, 'to replace'],
    [c.read, c.read === 1 ? 'read' : 'reads'],
    [n('drift'), 'drifted'],
    [n('outputs'), n('outputs') === 1 ? 'output change' : 'output changes'],
  ];
  const parts = counted.filter(([k]) => k > 0).map(([k, what]) => `${k} ${what}`);
  const out = [`<details><summary><b>${escapeHtml(name)}</b>: ${parts.join(', ')}</summary>`, ''];
  const sections: Array<[Block['section'], string]> = [
    ['resources', 'Resource changes'],
    ['drift', 'Changed outside Terraform (drift)'],
    ['outputs', 'Output changes'],
  ];
  for (const [section, title] of sections) {
    const all = blocks.filter((b) => b.section === section);
    if (all.length === 0) continue;
    const shown = all.filter((b) => kept.has(b));
    out.push(`**${title}**`, '');
    if (shown.length > 0) out.push(fenced(shown.map((b) => b.text).join('\n')), '');
    if (shown.length < all.length) {
      out.push(
        `_… ${all.length - shown.length} more not shown here (comment size limit); see ${location}._`,
        '',
      );
    }
  }
  if (s.terraformVersion)
    out.push(
      `<sub>Terraform ${escapeHtml(s.terraformVersion)}, plan format ${escapeHtml(s.formatVersion)}</sub>`,
      '',
    );
  out.push('</details>');
  return out.join('\n');
}

function resourceBlock(r: ResourceChangeSummary, maxAttrs: number): string {
  const notes = [VERB[r.action]];
  if (r.actions.join(',') === 'create,delete') notes.push('create before destroy');
  if (r.reason) notes.push(reasonText(r.reason));
  if (r.stateful && r.destructive) notes.push(`stateful ${r.stateful}`);
  if (r.previousAddress) notes.push(`moved from ${r.previousAddress}`);
  if (r.importing) notes.push('import');
  const lines = [`${SYMBOL[r.action]} ${oneLine(r.address)}  (${notes.join('; ')})`];
  // New attributes only known after apply say little one by one; list their names together.
  const isLater = (c: AttributeChange) =>
    c.before === undefined && c.after === KNOWN_AFTER_APPLY && !c.forcesReplacement;
  const shown = r.changes.filter((c) => !isLater(c));
  const later = r.changes.filter(isLater).map((c) => c.path);
  for (const c of shown.slice(0, maxAttrs)) lines.push(attributeLine(r.action, c));
  if (shown.length > maxAttrs) lines.push(`      … and ${shown.length - maxAttrs} more attributes`);
  if (later.length > 0) {
    const names =
      later.length > 12 ? `${later.slice(0, 12).join(', ')} and ${later.length - 12} more` : later.join(', ');
    lines.push(`${r.action === 'read' ? ' ' : '+'}     (known after apply: ${oneLine(names)})`);
  }
  return lines.join('\n');
}

function attributeLine(action: ChangeAction, c: AttributeChange): string {
  const forces = c.forcesReplacement ? '   # forces replacement' : '';
  if (action === 'create' || action === 'read' || c.before === undefined) {
    return `${action === 'read' ? ' ' : '+'}     ${oneLine(c.path)} = ${oneLine(c.after ?? 'null')}${forces}`;
  }
  if (c.after === undefined) return `-     ${oneLine(c.path)} = ${oneLine(c.before)}${forces}`;
  return `!     ${oneLine(c.path)}: ${oneLine(c.before)} -> ${oneLine(c.after)}${forces}`;
}

function outputLine(o: OutputChangeSummary): string {
  const value =
    o.action === 'delete'
      ? (o.before ?? '')
      : o.before !== undefined && o.after !== undefined
        ? `${o.before} -> ${o.after}`
        : (o.after ?? '');
  return `${SYMBOL[o.action]} ${oneLine(o.name)} = ${oneLine(value)}`;
}

function reasonText(reason: string): string {
  const known: Record<string, string> = {
    replace_because_tainted: 'tainted',
    replace_because_cannot_update: 'cannot be updated in place',
    replace_by_request: 'replacement requested',
    replace_by_triggers: 'replace_triggered_by',
    delete_because_no_resource_config: 'removed from the configuration',
    delete_because_no_module: 'its module was removed',
    delete_because_wrong_repetition: 'count/for_each changed',
    delete_because_count_index: 'count index out of range',
    delete_because_each_key: 'for_each key removed',
    delete_because_no_move_target: 'moved target missing',
    read_because_config_unknown: 'read during apply: configuration not yet known',
    read_because_dependency_pending: 'read during apply: a dependency changes',
    read_because_check_nested: 'read during apply: nested in a check block',
  };
  return known[reason] ?? reason;
}

/** A fenced code block whose fence is longer than any backtick run in the content. */
function fenced(content: string): string {
  const longest = Math.max(2, ...(content.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}diff\n${content}\n${fence}`;
}

function hardTrim(text: string, maxChars: number, location: string): string {
  const note = `\n\n_… the rest of this summary was cut to fit GitHub's size limit; the complete plan is in ${location}._\n`;
  let cut = text.slice(0, Math.max(0, maxChars - note.length - 64));
  cut = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
  // Close what the cut may have left open, so the rest of the page still renders.
  const fences = cut.match(/^`{3,}/gm) ?? [];
  if (fences.length % 2 === 1) cut += `\n${fences[fences.length - 1]}`;
  const open = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < open; i++) cut += '\n</details>';
  return (cut + note).slice(0, maxChars - 1);
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

function code(s: string): string {
  return oneLine(s).replace(/`/g, "'");
}

function cell(s: string): string {
  return oneLine(s).replace(/\|/g, '\\|');
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

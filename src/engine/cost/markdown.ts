import type { CostDiff } from './diff.js';
import { usd, type CostEstimate } from './estimate.js';

/** A Markdown table of one estimate: line items, total at baseline and at maximum scale. */
export function renderCostMarkdown(e: CostEstimate): string {
  const lines = [
    `#### Estimated cost of \`${e.environment}\`: ${usd(e.monthly_usd)}/month`,
    '',
    `${e.provider.toUpperCase()} ${e.region}${e.price_region !== e.region ? ` (priced as ${e.price_region})` : ''}. ` +
      (e.max_monthly_usd !== e.monthly_usd
        ? `Up to ${usd(e.max_monthly_usd)}/month with every node pool at its maximum.`
        : ''),
    '',
    '| Item | Monthly | Detail |',
    '| :-- | --: | :-- |',
    ...e.items.map(
      (i) =>
        `| ${cell(i.label)} | ${usd(i.monthly_usd)}${i.max_monthly_usd !== undefined ? ` (max ${usd(i.max_monthly_usd)})` : ''} | ${cell(i.detail)} |`,
    ),
    `| **Total** | **${usd(e.monthly_usd)}** | ${e.max_monthly_usd !== e.monthly_usd ? `max ${usd(e.max_monthly_usd)}` : ''} |`,
    '',
    ...e.notes.map((n) => `> ${n}`),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The difference a pull request makes, as a reviewer reads it: "+$X/month" first. */
export function renderCostDiffMarkdown(d: CostDiff): string {
  const name = d.after?.environment ?? d.before?.environment ?? '';
  const from = d.before ? usd(d.before.monthly_usd) : 'nothing (new environment)';
  const to = d.after ? usd(d.after.monthly_usd) : 'nothing (environment removed)';
  const lines = [
    `#### Cost of \`${name}\`: **${d.summary}**`,
    '',
    `From ${from} to ${to} per month.` +
      (d.delta_max_monthly_usd !== d.delta_monthly_usd
        ? ` At maximum scale: ${signed(d.delta_max_monthly_usd)}/month.`
        : ''),
    '',
  ];
  if (d.items.length > 0) {
    lines.push(
      '| Item | Before | After | Change |',
      '| :-- | --: | --: | --: |',
      ...d.items.map((i) => {
        const max = (v: number, base: number) => (v !== base ? ` (max ${usd(v)})` : '');
        const change =
          signed(i.delta_usd) + (i.delta_max_usd !== i.delta_usd ? ` (max ${signed(i.delta_max_usd)})` : '');
        return `| ${cell(i.label)} | ${usd(i.before_usd)}${max(i.before_max_usd, i.before_usd)} | ${usd(i.after_usd)}${max(i.after_max_usd, i.after_usd)} | ${change} |`;
      }),
      '',
    );
  } else {
    lines.push('No line item changes.', '');
  }
  lines.push(...d.notes.map((n) => `> ${n}`));
  return `${lines.join('\n').trimEnd()}\n`;
}

function signed(n: number): string {
  if (n === 0) return '±$0.00';
  return `${n > 0 ? '+' : '-'}${usd(Math.abs(n))}`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

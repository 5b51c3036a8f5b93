import type { InfraModel } from '../model/types.js';
import { estimateCost, round, usd, type CostEstimate, type EstimateOptions } from './estimate.js';

export interface CostDiffItem {
  label: string;
  before_usd: number;
  after_usd: number;
  delta_usd: number;
  /** The same at maximum scale, when a node pool can grow (GPU nodes at min are often $0). */
  before_max_usd: number;
  after_max_usd: number;
  delta_max_usd: number;
}

export interface CostDiff {
  before?: CostEstimate;
  after?: CostEstimate;
  /** after − before at the baseline (GPU pools at min). */
  delta_monthly_usd: number;
  /** after − before with every pool at its maximum. */
  delta_max_monthly_usd: number;
  /** Line items whose cost changes, largest change first. */
  items: CostDiffItem[];
  /** "+$412.00/month" — what a reviewer wants to read. */
  summary: string;
  notes: string[];
}

/**
 * The cost difference between two versions of an environment. Either side may be missing:
 * a new environment (no `before`) or a removed one (no `after`).
 */
export function diffCost(before?: InfraModel, after?: InfraModel, opts: EstimateOptions = {}): CostDiff {
  if (!before && !after) throw new Error('diffCost needs at least one model (before or after).');
  const b = before ? estimateCost(before, opts) : undefined;
  const a = after ? estimateCost(after, opts) : undefined;
  const labels = [...new Set([...(b?.items ?? []), ...(a?.items ?? [])].map((i) => i.label))];
  const items = labels
    .map((label) => {
      const bi = b?.items.find((i) => i.label === label);
      const ai = a?.items.find((i) => i.label === label);
      const before_usd = bi?.monthly_usd ?? 0;
      const after_usd = ai?.monthly_usd ?? 0;
      const before_max_usd = bi?.max_monthly_usd ?? before_usd;
      const after_max_usd = ai?.max_monthly_usd ?? after_usd;
      return {
        label,
        before_usd,
        after_usd,
        delta_usd: round(after_usd - before_usd),
        before_max_usd,
        after_max_usd,
        delta_max_usd: round(after_max_usd - before_max_usd),
      };
    })
    .filter((i) => i.delta_usd !== 0 || i.delta_max_usd !== 0)
    .sort(
      (x, y) =>
        Math.abs(y.delta_usd) - Math.abs(x.delta_usd) ||
        Math.abs(y.delta_max_usd) - Math.abs(x.delta_max_usd),
    );
  const delta = round((a?.monthly_usd ?? 0) - (b?.monthly_usd ?? 0));
  const deltaMax = round((a?.max_monthly_usd ?? 0) - (b?.max_monthly_usd ?? 0));
  const notes = [...new Set([...(b?.notes ?? []), ...(a?.notes ?? [])])];
  return {
    ...(b ? { before: b } : {}),
    ...(a ? { after: a } : {}),
    delta_monthly_usd: delta,
    delta_max_monthly_usd: deltaMax,
    items,
    summary: formatCostDelta(delta),
    notes,
  };
}

/** `+$412.00/month`, `-$12.50/month`, or `±$0.00/month`. */
export function formatCostDelta(delta: number): string {
  if (round(delta) === 0) return '±$0.00/month';
  return `${delta > 0 ? '+' : '-'}${usd(Math.abs(delta))}/month`;
}

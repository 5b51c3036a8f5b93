import { describe, expect, it } from 'vitest';
import { AWS_GPU_TYPES, AWS_REGIONS, GCP_GPU_TYPES, GCP_REGIONS } from '../../../src/engine/config/index.js';
import type { Size } from '../../../src/engine/config/types.js';
import { GPU_NODE_TYPES, PROFILES } from '../../../src/engine/model/index.js';
import {
  PRICES,
  diffCost,
  estimateCost,
  formatCostDelta,
  renderCostDiffMarkdown,
  renderCostMarkdown,
  type CostEstimate,
} from '../../../src/engine/cost/index.js';
import { model } from './models.js';

const SIZES: Size[] = ['small', 'medium', 'large'];
const item = (e: CostEstimate, category: string) => e.items.find((i) => i.category === category);
const sum = (e: CostEstimate) => Math.round(e.items.reduce((s, i) => s + i.monthly_usd, 0) * 100) / 100;

describe('the price table covers every type the size profiles can produce', () => {
  it('prices every AWS node, database and cache type', () => {
    for (const size of SIZES) {
      const p = PROFILES.aws[size];
      expect(PRICES.aws.ec2Hourly, p.cluster.instanceType).toHaveProperty([p.cluster.instanceType]);
      expect(PRICES.aws.rdsPostgresHourly, p.database.instanceClass).toHaveProperty([
        p.database.instanceClass,
      ]);
      expect(PRICES.aws.elasticacheHourly, p.cache.nodeType).toHaveProperty([p.cache.nodeType]);
    }
    for (const gpu of Object.values(GPU_NODE_TYPES.aws))
      expect(PRICES.aws.ec2Hourly).toHaveProperty([gpu.instanceType]);
  });

  it('prices every GCP machine, Cloud SQL shape and Memorystore tier', () => {
    for (const size of SIZES) {
      const p = PROFILES.gcp[size];
      expect(PRICES.gcp.computeHourly, p.cluster.instanceType).toHaveProperty([p.cluster.instanceType]);
      expect(p.database.instanceClass).toMatch(/^db-custom-\d+-\d+$/);
      expect(PRICES.gcp.memorystoreGbHourly).toHaveProperty([p.cache.nodeType]);
    }
    for (const gpu of Object.values(GPU_NODE_TYPES.gcp))
      expect(PRICES.gcp.computeHourly).toHaveProperty([gpu.instanceType]);
  });

  it('is dated, names its sources, and indexes the offered regions', () => {
    expect(PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.sources.aws.length).toBeGreaterThan(3);
    expect(PRICES.aws.regionIndex[PRICES.aws.baseRegion]).toBe(1);
    expect(PRICES.gcp.regionIndex[PRICES.gcp.baseRegion]).toBe(1);
    for (const r of Object.keys(PRICES.aws.regionIndex)) expect(AWS_REGIONS).toContain(r);
    for (const r of Object.keys(PRICES.gcp.regionIndex)) expect(GCP_REGIONS).toContain(r);
    // Newer regions without published comparisons yet fall back to the base price with a note.
    // A region added to the accepted list shows up here, so someone decides on its price.
    expect(AWS_REGIONS.filter((r) => !(r in PRICES.aws.regionIndex))).toEqual([
      'ap-east-2',
      'ap-southeast-5',
      'ap-southeast-6',
      'ap-southeast-7',
    ]);
    expect(GCP_REGIONS.filter((r) => !(r in PRICES.gcp.regionIndex))).toEqual([
      'europe-north2',
      'europe-west10',
      'europe-west12',
      'me-central1',
      'me-central2',
      'northamerica-south1',
    ]);
  });

  const combos = [
    ...SIZES.flatMap((size) => AWS_GPU_TYPES.map((gpu) => ['aws', size, gpu] as const)),
    ...SIZES.flatMap((size) => GCP_GPU_TYPES.map((gpu) => ['gcp', size, gpu] as const)),
  ];
  it.each(combos)('%s %s with %s: every line is priced', (provider, size, gpu) => {
    const e = estimateCost(
      model({
        provider,
        cluster: size,
        database: size,
        cache: size,
        ha: size === 'large',
        gpu: { type: gpu, max: 2 },
      }),
    );
    expect(e.notes.filter((n) => n.startsWith('No price'))).toEqual([]);
    for (const i of e.items.filter((x) => x.category !== 'gpu'))
      expect(i.monthly_usd, i.label).toBeGreaterThan(0);
    expect(item(e, 'gpu')?.max_monthly_usd).toBeGreaterThan(0);
    expect(e.monthly_usd).toBe(sum(e));
  });
});

describe('estimateCost', () => {
  it('computes the small AWS environment from the list prices', () => {
    const e = estimateCost(model());
    // m7i.xlarge 0.2016/h × 730 = 147.17 + 100 GB gp3 × 0.08 = 8 -> 155.17 per node, 2 nodes desired.
    expect(item(e, 'nodes')).toMatchObject({ monthly_usd: 310.34, max_monthly_usd: 465.51 });
    expect(item(e, 'control_plane')?.monthly_usd).toBe(73);
    expect(item(e, 'network')?.monthly_usd).toBe(32.85);
    // db.m7g.large 0.168 × 730 = 122.64 + 20 GB × 0.115 = 2.30
    expect(item(e, 'database')?.monthly_usd).toBe(124.94);
    expect(item(e, 'cache')?.monthly_usd).toBe(47.45);
    expect(e.monthly_usd).toBe(590.88);
    expect(e).toMatchObject({
      provider: 'aws',
      region: 'us-east-1',
      price_region: 'us-east-1',
      prices_as_of: PRICES.asOf,
    });
  });

  it('doubles the database for high availability', () => {
    const single = item(estimateCost(model({ database: 'medium' })), 'database')!;
    const ha = item(estimateCost(model({ database: 'medium', ha: true })), 'database')!;
    expect(ha.monthly_usd).toBeCloseTo(single.monthly_usd * 2, 1);
    expect(ha.detail).toContain('Multi-AZ');
    const gcpSingle = item(estimateCost(model({ provider: 'gcp' })), 'database')!;
    const gcpHa = item(estimateCost(model({ provider: 'gcp', ha: true })), 'database')!;
    expect(gcpHa.monthly_usd).toBeCloseTo(gcpSingle.monthly_usd * 2, 1);
  });

  it('prices GPU nodes at min and at max', () => {
    const e = estimateCost(model({ gpu: { type: 'A10G', min: 1, max: 4 } }));
    const gpu = item(e, 'gpu')!;
    const perNode = Math.round((1.006 * 730 + 200 * 0.08) * 100) / 100;
    expect(gpu.monthly_usd).toBe(perNode);
    expect(gpu.max_monthly_usd).toBe(Math.round(perNode * 4 * 100) / 100);
    expect(gpu.detail).toContain('1 nodes (min) to 4 (max)');
    expect(e.max_monthly_usd).toBeGreaterThan(e.monthly_usd);
    const t4 = item(estimateCost(model({ provider: 'gcp', gpu: { type: 'T4', max: 1 } })), 'gpu')!;
    expect(t4.detail).toContain('n1-standard-8 + 1× nvidia-tesla-t4');
    expect(t4.monthly_usd).toBe(0);
  });

  it('scales by the regional index and says so', () => {
    const base = estimateCost(model());
    const eu = estimateCost(model({ region: 'eu-central-1' }));
    expect(item(eu, 'control_plane')?.monthly_usd).toBe(Math.round(73 * 1.17 * 100) / 100);
    expect(eu.notes[0]).toBe(
      'eu-central-1 is priced as us-east-1 × 1.17 (regional price index of the table, as of 2025-11-01).',
    );
    expect(eu.monthly_usd).toBeGreaterThan(base.monthly_usd);
  });

  it('falls back to the base region with a clear note for a region not in the table', () => {
    const m = model();
    m.cloud.region = 'mars-north-1';
    const e = estimateCost(m);
    expect(e.price_region).toBe('us-east-1');
    expect(e.notes[0]).toBe(
      'No prices for mars-north-1 in the table (as of 2025-11-01); us-east-1 prices were used, so the real cost may differ.',
    );
    expect(e.monthly_usd).toBe(estimateCost(model()).monthly_usd);
  });

  it('counts an unknown type as $0 and says which', () => {
    const m = model();
    m.cluster.nodeGroups[0]!.instanceType = 'm99.huge';
    const e = estimateCost(m);
    expect(e.notes).toContain(
      'No price for EC2 instance m99.huge in the table: it is counted as $0. Add it to src/engine/cost/prices.ts.',
    );
  });
});

describe('diffCost', () => {
  it('gives the +$X/month of a change, largest line first', () => {
    const d = diffCost(model(), model({ cluster: 'medium', gpu: { type: 'T4', max: 2 } }));
    expect(d.delta_monthly_usd).toBe(Math.round((d.after!.monthly_usd - d.before!.monthly_usd) * 100) / 100);
    expect(d.summary).toBe(formatCostDelta(d.delta_monthly_usd));
    expect(d.summary).toMatch(/^\+\$[\d,]+\.\d\d\/month$/);
    expect(d.items[0]?.label).toBe('System nodes (system)');
    expect(d.delta_max_monthly_usd).toBeGreaterThan(d.delta_monthly_usd);
  });

  it('handles new, removed and unchanged environments', () => {
    const m = model();
    const total = estimateCost(m).monthly_usd;
    expect(diffCost(undefined, m).delta_monthly_usd).toBe(total);
    expect(diffCost(m, undefined).summary).toBe(`-$${total.toFixed(2)}/month`);
    const same = diffCost(m, model());
    expect(same).toMatchObject({ delta_monthly_usd: 0, summary: '±$0.00/month', items: [] });
    expect(() => diffCost()).toThrow(/at least one model/);
  });

  it('formats deltas', () => {
    expect(formatCostDelta(1234.5)).toBe('+$1,234.50/month');
    expect(formatCostDelta(-12)).toBe('-$12.00/month');
    expect(formatCostDelta(0.001)).toBe('±$0.00/month');
  });
});

describe('cost Markdown', () => {
  it('renders an estimate and a difference', async () => {
    const e = estimateCost(
      model({ provider: 'gcp', region: 'europe-west4', gpu: { type: 'L4', max: 2 }, ha: true }),
    );
    await expect(renderCostMarkdown(e)).toMatchFileSnapshot('./__snapshots__/estimate-gcp.md');
    const d = diffCost(model(), model({ database: 'medium', ha: true, gpu: { type: 'T4', max: 2 } }));
    const md = renderCostDiffMarkdown(d);
    expect(md.split('\n')[0]).toBe(`#### Cost of \`demo\`: **${d.summary}**`);
    await expect(md).toMatchFileSnapshot('./__snapshots__/diff-aws.md');
  });
});

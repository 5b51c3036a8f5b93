/**
 * Plan summary and comment rendering (issue 4): how long `summarizePlan` + `renderPlanMarkdown`
 * take on the largest real fixture (infracost's 400 KB Terraform 0.12 plan) and on a synthetic
 * plan of 5,000 changed resources, which must still render under GitHub's comment limit.
 *
 * Run alone: `npx tsx bench/plan.ts` (prints a table). `benchPlan()` returns the rows for `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import { renderPlanMarkdown, summarizePlan, COMMENT_LIMIT } from '../src/engine/plan/index.js';
import { median, round } from './lib.js';
import type { BenchResult } from './lib.js';
import { FIXTURE_DIR as FIXTURE } from '../test/engine/plan/fixtures.js';
const TARGET_LARGE_MS = 1000;

function syntheticPlan(resources: number): string {
  const changes = [];
  for (let i = 0; i < resources; i++) {
    changes.push({
      address: `aws_route53_record.r${i}`,
      mode: 'managed',
      type: 'aws_route53_record',
      name: `r${i}`,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: i % 10 === 0 ? ['delete', 'create'] : ['update'],
        before: {
          name: `host-${i}.example.com`,
          records: [`10.0.${i % 250}.1`],
          ttl: 300,
          tags: { team: 'a' },
        },
        after: {
          name: `host-${i}.example.com`,
          records: [`10.1.${i % 250}.1`],
          ttl: 60,
          tags: { team: 'b' },
        },
        after_unknown: {},
        before_sensitive: {},
        after_sensitive: {},
      },
    });
  }
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: {},
    resource_changes: changes,
  });
}

function time(fn: () => void, runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

export async function benchPlan(runs = 7): Promise<BenchResult[]> {
  const fixture = readFileSync(`${FIXTURE}/infracost__terraform_v0.12_plan.json`);
  const synthetic = syntheticPlan(5000);
  let length = 0;
  const fixtureMs = median(
    time(() => renderPlanMarkdown({ environment: 'x', summary: summarizePlan(fixture) }), runs),
  );
  const largeMs = median(
    time(() => {
      length = renderPlanMarkdown({ environment: 'x', summary: summarizePlan(synthetic) }).length;
    }, runs),
  );
  return [
    { name: 'plan: summarise + render a 400 KB real plan', value: round(fixtureMs), unit: 'ms' },
    {
      name: 'plan: summarise + render 5,000 changes',
      value: round(largeMs),
      unit: 'ms',
      target: `<= ${TARGET_LARGE_MS}`,
      pass: largeMs <= TARGET_LARGE_MS,
      detail: `${(synthetic.length / 1e6).toFixed(1)} MB of JSON`,
    },
    {
      name: 'plan: comment length for 5,000 changes',
      value: length,
      unit: 'chars',
      target: `< ${COMMENT_LIMIT}`,
      pass: length < COMMENT_LIMIT,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchPlan()) {
    console.log(
      `${r.name.padEnd(48)} ${String(r.value).padStart(10)} ${r.unit}${r.target ? `  (target ${r.target}: ${r.pass ? 'ok' : 'MISSED'})` : ''}`,
    );
  }
}

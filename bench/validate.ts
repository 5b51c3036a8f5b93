/**
 * Validation of a pull request with 1, 100 and 1,000 changed environment files (issue 8):
 * the engine's full check (YAML with positions, JSON Schema, cross-field rules) against a
 * baseline of plain `YAML.parse` over the same texts, measured in the same run.
 * Run alone: `npx tsx bench/validate.ts`.
 */
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { parseEnvironment } from '../src/engine/config/index.js';
import { median, round } from './lib.js';
import { formatTable, type BenchResult } from './lib.js';

function environmentFile(i: number): { path: string; text: string } {
  const name = `env-${i}`;
  const aws = i % 2 === 0;
  const cloud = aws
    ? `cloud:\n  provider: aws\n  region: us-east-1\n  account_id: "123456789012"\n  role_arn: arn:aws:iam::123456789012:role/Beta9Provisioner\n`
    : `cloud:\n  provider: gcp\n  region: us-central1\n  project_id: proj-${i}\n  service_account: sa@proj-${i}.iam.gserviceaccount.com\n`;
  const text = `version: 1\nname: ${name}\ndescription: bench ${i}\n${cloud}cluster:\n  size: ${['small', 'medium', 'large'][i % 3]}\n  gpu:\n    type: T4\n    max_nodes: 2\ndatabase:\n  size: small\n  high_availability: ${i % 2 === 0}\ncache:\n  size: small\nnetwork:\n  cidr: 10.${i % 250}.0.0/16\ndeletion_protection: true\ntags:\n  team: ml\n`;
  return { path: `environments/${name}.yaml`, text };
}

function timeIt(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(samples);
}

export async function benchValidate(runs = 7): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  // Warm the schema compiler and the JIT once, as a long-running App process would be.
  parseEnvironment('environments/env-0.yaml', environmentFile(0).text);
  for (const count of [1, 100, 1000]) {
    const files = Array.from({ length: count }, (_, i) => environmentFile(i));
    const engine = timeIt(() => {
      for (const f of files) {
        const { diagnostics } = parseEnvironment(f.path, f.text);
        if (diagnostics.length)
          throw new Error(`bench file ${f.path} is invalid: ${diagnostics[0]!.message}`);
      }
    }, runs);
    const baseline = timeIt(() => {
      for (const f of files) YAML.parse(f.text);
    }, runs);
    results.push({
      name: `validate.${count}files`,
      value: round(engine),
      unit: 'ms',
      target: count <= 100 ? '< 1000' : undefined,
      pass: count <= 100 ? engine < 1000 : undefined,
      detail: `median of ${runs}; plain YAML.parse baseline ${round(baseline)} ms (x${round(engine / baseline, 1)})`,
    });
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatTable(await benchValidate()));
}

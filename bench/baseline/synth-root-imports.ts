/**
 * The baseline: the same stacks synthesised the way a typical CDKTF project does it. Every provider
 * class of the environment's cloud comes through its package root (bench/baseline/root-imports-plugin.mjs rewrites our deep
 * imports into `require('@cdktf/provider-aws').vpc.Vpc`), cdktf and the bindings load from
 * node_modules unbundled, and `App.synth()` writes the usual cdktf.out/ tree with its manifest.
 *
 * Usage: node synth-root-imports.js <outDir> <file.yaml>...   (same output contract as synth-entry)
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDiagnostic, parseEnvironment } from '../../src/engine/config/index.js';
import { toInfraModel } from '../../src/engine/model/index.js';
import { App, TerraformStack } from '../../src/engine/stacks/cdktf.js';
import { loadStackBuilder } from '../../src/engine/stacks/synth.js';

const loadedMs = performance.now();

async function main(): Promise<void> {
  const [outDir, ...files] = process.argv.slice(2);
  if (!outDir || files.length === 0) throw new Error('usage: synth-root-imports <outDir> <file.yaml>...');
  const perEnvMs: number[] = [];
  for (const file of files) {
    const started = performance.now();
    const { config, diagnostics } = parseEnvironment(file, await readFile(file, 'utf8'));
    if (!config) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
    const model = toInfraModel(config);
    const outdir = join(outDir, model.name);
    await mkdir(outdir, { recursive: true });
    const app = new App({ outdir });
    const stack = new TerraformStack(app, model.name);
    // Only the environment's cloud is loaded, as in a one-cloud project: the baseline pays for one
    // provider root, not two.
    const build = await loadStackBuilder(model.cloud.provider);
    build(stack, model);
    app.synth();
    perEnvMs.push(performance.now() - started);
    console.log(join(outDir, model.name, 'stacks', model.name, 'cdk.tf.json'));
  }
  const { maxRSS: maxRssKb, userCPUTime, systemCPUTime } = process.resourceUsage();
  const cpuMs = (userCPUTime + systemCPUTime) / 1000;
  process.stderr.write(`BENCH ${JSON.stringify({ loadedMs, perEnvMs, maxRssKb, cpuMs })}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

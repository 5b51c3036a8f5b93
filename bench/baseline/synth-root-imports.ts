/**
 * The baseline: the same stacks synthesised the way a typical CDKTF project does it. Every provider
 * class of the environment's cloud comes through its package root (bench/baseline/root-imports-plugin.ts rewrites our deep
 * imports into `require('@cdktf/provider-aws').vpc.Vpc`), cdktf and the bindings load from
 * node_modules unbundled, and `App.synth()` writes the usual cdktf.out/ tree with its manifest.
 *
 * Usage: node synth-root-imports.js <outDir> <file.yaml>...   (same output contract as synth-entry)
 *
 * As the `app` of a CDKTF project (cdktf.json), run by `cdktf synth`: `node synth-root-imports.js <file.yaml>`.
 * The CLI passes its output directory in CDKTF_OUTDIR, and `new App()` with no `outdir` reads it,
 * as in any CDKTF project's main.ts. The same code either way; only where the App's outdir comes
 * from differs, so the two baselines differ by the CLI around the app and nothing else.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDiagnostic, parseEnvironment } from '../../src/engine/config/index.js';
import { toInfraModel } from '../../src/engine/model/index.js';
import { App, TerraformStack } from '../../src/engine/stacks/cdktf.js';
import { loadStackBuilder } from '../../src/engine/stacks/synth.js';

const loadedMs = performance.now();

async function main(): Promise<void> {
  // Under `cdktf synth` the CLI owns the output directory (one App, one manifest): one environment.
  const cliOutdir = process.env.CDKTF_OUTDIR;
  const args = process.argv.slice(2);
  const outDir = cliOutdir ?? args.shift();
  const files = args;
  if (!outDir || files.length === 0 || (cliOutdir !== undefined && files.length !== 1)) {
    throw new Error('usage: synth-root-imports <outDir> <file.yaml>...  (under cdktf synth: <file.yaml>)');
  }
  const perEnvMs: number[] = [];
  for (const file of files) {
    const started = performance.now();
    const { config, diagnostics } = parseEnvironment(file, await readFile(file, 'utf8'));
    if (!config) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
    const model = toInfraModel(config);
    if (cliOutdir === undefined) await mkdir(join(outDir, model.name), { recursive: true });
    // `new App()` reads CDKTF_OUTDIR, as in any CDKTF project's main.ts.
    const app = new App(cliOutdir === undefined ? { outdir: join(outDir, model.name) } : {});
    const stack = new TerraformStack(app, model.name);
    // Only the environment's cloud is loaded, as in a one-cloud project: the baseline pays for one
    // provider root, not two.
    const build = await loadStackBuilder(model.cloud.provider);
    build(stack, model);
    app.synth();
    perEnvMs.push(performance.now() - started);
    console.log(join(app.outdir, 'stacks', model.name, 'cdk.tf.json'));
  }
  const { maxRSS: maxRssKb, userCPUTime, systemCPUTime } = process.resourceUsage();
  const cpuMs = (userCPUTime + systemCPUTime) / 1000;
  process.stderr.write(`BENCH ${JSON.stringify({ loadedMs, perEnvMs, maxRssKb, cpuMs })}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * The fast synth path as one process: YAML file(s) → parseEnvironment → toInfraModel → synthStack,
 * exactly what `beta9-provisioner synth` does, with provider classes imported by deep path. bench/synth.ts
 * bundles this with esbuild and runs it with plain `node`.
 *
 * Usage: node synth-entry.js <outDir> <file.yaml>...   (prints each written file; a BENCH line on stderr)
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDiagnostic, parseEnvironment } from '../src/engine/config/index.js';
import { toInfraModel } from '../src/engine/model/index.js';
import { synthStack } from '../src/engine/stacks/synth.js';

// Everything above has been loaded and evaluated by now: time since the process started.
const loadedMs = performance.now();

async function main(): Promise<void> {
  const [outDir, ...files] = process.argv.slice(2);
  if (!outDir || files.length === 0) throw new Error('usage: synth-entry <outDir> <file.yaml>...');
  const perEnvMs: number[] = [];
  for (const file of files) {
    const started = performance.now();
    const { config, diagnostics } = parseEnvironment(file, await readFile(file, 'utf8'));
    if (!config) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
    const { file: written } = await synthStack(toInfraModel(config), join(outDir, config.name));
    perEnvMs.push(performance.now() - started);
    console.log(written);
  }
  const { maxRSS: maxRssKb, userCPUTime, systemCPUTime } = process.resourceUsage();
  const cpuMs = (userCPUTime + systemCPUTime) / 1000;
  process.stderr.write(`BENCH ${JSON.stringify({ loadedMs, perEnvMs, maxRssKb, cpuMs })}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

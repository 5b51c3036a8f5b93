import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CloudProvider } from '../config/types.js';
import type { InfraModel } from '../model/types.js';
import { newStack, renderStack, withoutStackTraces, type TerraformStack } from './cdktf.js';

/** Fills a stack with one cloud's resources for a model. */
export type StackBuilder = (stack: TerraformStack, model: InfraModel) => void;

/** The file name `synthStack` writes: Terraform reads every `*.tf.json` in its working directory. */
export const STACK_FILE = 'cdk.tf.json';

/**
 * Loads only the builder of the model's cloud. The other cloud's bindings (the Google ones alone
 * are 2 MB of JavaScript) are never evaluated, which matters for a CLI process that synthesises
 * one environment and exits. Importers that need a synchronous API use `synthToJson` from index.ts.
 */
export async function loadStackBuilder(provider: CloudProvider): Promise<StackBuilder> {
  switch (provider) {
    case 'aws':
      return (await import('./aws/stack.js')).buildAwsStack;
    case 'gcp':
      return (await import('./gcp/stack.js')).buildGcpStack;
    default:
      throw unknownProvider(provider);
  }
}

export function unknownProvider(provider: unknown): Error {
  return new Error(`Unknown cloud provider '${String(provider)}'. Expected aws or gcp.`);
}

/** Builds and renders one environment's stack with the given builder. */
export function renderModel(model: InfraModel, build: StackBuilder): Record<string, unknown> {
  return withoutStackTraces(() => {
    const stack = newStack(model.name);
    build(stack, model);
    return renderStack(stack);
  });
}

/**
 * Synthesises `model` and writes it to `<outDir>/cdk.tf.json` (creating `outDir`), ready for
 * `terraform init` in `outDir`. Returns the written file's path.
 */
export async function synthStack(model: InfraModel, outDir: string): Promise<{ file: string }> {
  const json = renderModel(model, await loadStackBuilder(model.cloud.provider));
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, STACK_FILE);
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  return { file };
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InfraModel } from '../model/types.js';
import { buildAwsStack } from './aws/stack.js';
import { newStack, renderStack } from './cdktf.js';
import { buildGcpStack } from './gcp/stack.js';

export { AWS_OUTPUTS } from './aws/stack.js';
export { GCP_OUTPUTS } from './gcp/stack.js';

/** The file name `synthStack` writes: Terraform reads every `*.tf.json` in its working directory. */
export const STACK_FILE = 'cdk.tf.json';

/**
 * Turns an InfraModel into the Terraform JSON configuration of its environment (one stack:
 * provider, state backend, network, cluster, database, cache, storage, outputs). Pure: no files,
 * no network; throws with the environment's name when the model cannot be built.
 */
export function synthToJson(model: InfraModel): Record<string, unknown> {
  const stack = newStack(model.name);
  switch (model.cloud.provider) {
    case 'aws':
      buildAwsStack(stack, model);
      break;
    case 'gcp':
      buildGcpStack(stack, model);
      break;
    default:
      throw new Error(
        `Environment ${model.name}: unknown cloud provider '${String((model.cloud as { provider: unknown }).provider)}'. Expected aws or gcp.`,
      );
  }
  return renderStack(stack);
}

/**
 * Synthesises `model` and writes it to `<outDir>/cdk.tf.json` (creating `outDir`), ready for
 * `terraform init` in `outDir`. Returns the written file's path.
 */
export async function synthStack(model: InfraModel, outDir: string): Promise<{ file: string }> {
  const json = synthToJson(model);
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, STACK_FILE);
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  return { file };
}

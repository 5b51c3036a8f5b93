import type { InfraModel } from '../model/types.js';
import { buildAwsStack } from './aws/stack.js';
import { buildGcpStack } from './gcp/stack.js';
import { renderModel, unknownProvider } from './synth.js';

export { AWS_OUTPUTS } from './aws/stack.js';
export { GCP_OUTPUTS } from './gcp/stack.js';
export { STACK_FILE, loadStackBuilder, synthStack, type StackBuilder } from './synth.js';

/**
 * Turns an InfraModel into the Terraform JSON configuration of its environment (one stack:
 * provider, state backend, network, cluster, database, cache, storage, outputs). Pure: no files,
 * no network; throws with the environment's name when the model cannot be built.
 *
 * Synchronous, so it loads both clouds' bindings with this module; a process that only writes one
 * environment should call `synthStack` from `./synth.js`, which loads just the cloud it needs.
 */
export function synthToJson(model: InfraModel): Record<string, unknown> {
  const { provider } = model.cloud;
  if (provider !== 'aws' && provider !== 'gcp') {
    throw new Error(`Environment ${model.name}: ${unknownProvider(provider).message}`);
  }
  return renderModel(model, provider === 'aws' ? buildAwsStack : buildGcpStack);
}

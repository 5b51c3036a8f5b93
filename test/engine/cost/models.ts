import { parseEnvironment } from '../../../src/engine/config/index.js';
import type { CloudProvider, GpuType, Size } from '../../../src/engine/config/types.js';
import { toInfraModel, type InfraModel } from '../../../src/engine/model/index.js';

export interface ModelSpec {
  provider?: CloudProvider;
  region?: string;
  cluster?: Size;
  database?: Size;
  ha?: boolean;
  cache?: Size;
  gpu?: { type: GpuType; min?: number; max: number };
}

/** An InfraModel made the way production makes it: YAML -> parseEnvironment -> toInfraModel. */
export function model(spec: ModelSpec = {}): InfraModel {
  const provider = spec.provider ?? 'aws';
  const cloud =
    provider === 'aws'
      ? `cloud:\n  provider: aws\n  region: ${spec.region ?? 'us-east-1'}\n  account_id: "123456789012"\n  role_arn: arn:aws:iam::123456789012:role/Beta9Provisioner\n`
      : `cloud:\n  provider: gcp\n  region: ${spec.region ?? 'us-central1'}\n  project_id: my-gcp-project\n  service_account: sa@my-gcp-project.iam.gserviceaccount.com\n`;
  const gpu = spec.gpu
    ? `  gpu:\n    type: ${spec.gpu.type}\n    min_nodes: ${spec.gpu.min ?? 0}\n    max_nodes: ${spec.gpu.max}\n`
    : '';
  const text =
    `version: 1\nname: demo\n${cloud}` +
    `cluster:\n  size: ${spec.cluster ?? 'small'}\n${gpu}` +
    `database:\n  size: ${spec.database ?? 'small'}\n  high_availability: ${spec.ha ?? false}\n` +
    `cache:\n  size: ${spec.cache ?? 'small'}\n`;
  const { config, diagnostics } = parseEnvironment('environments/demo.yaml', text);
  if (!config) throw new Error(`test model is invalid: ${diagnostics.map((d) => d.message).join('; ')}`);
  return toInfraModel(config);
}

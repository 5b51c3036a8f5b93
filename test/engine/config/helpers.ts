import { formatDiagnostic, parseEnvironment } from '../../../src/engine/config/index.js';

export const AWS_FILE = `version: 1
name: demo
cloud:
  provider: aws
  region: us-east-1
  account_id: "123456789012"
  role_arn: arn:aws:iam::123456789012:role/Beta9Provisioner
`;

export const GCP_FILE = `version: 1
name: demo
cloud:
  provider: gcp
  region: us-central1
  project_id: my-gcp-project
  service_account: sa@my-gcp-project.iam.gserviceaccount.com
`;

/** The formatted diagnostics for `text` as environments/demo.yaml (empty when valid). */
export function problems(text: string | Uint8Array, file = 'environments/demo.yaml'): string[] {
  return parseEnvironment(file, text).diagnostics.map(formatDiagnostic);
}

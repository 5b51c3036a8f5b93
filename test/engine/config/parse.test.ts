import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../../src/engine/config/index.js';
import { AWS_FILE, GCP_FILE, problems } from './helpers.js';

describe('parseEnvironment: valid files', () => {
  it('accepts a minimal AWS file and fills in every default', () => {
    const { config, diagnostics } = parseEnvironment('environments/demo.yaml', AWS_FILE);
    expect(diagnostics).toEqual([]);
    expect(config).toEqual({
      version: 1,
      name: 'demo',
      cloud: {
        provider: 'aws',
        region: 'us-east-1',
        account_id: '123456789012',
        role_arn: 'arn:aws:iam::123456789012:role/Beta9Provisioner',
      },
      cluster: { size: 'small' },
      database: { size: 'small', high_availability: false },
      cache: { size: 'small' },
      storage: { versioning: true, noncurrent_version_expiration_days: 30 },
      network: { cidr: '10.0.0.0/16' },
      beta9: { version: '0.1.762' },
      deletion_protection: true,
      tags: {},
    });
  });

  it('accepts a minimal GCP file', () => {
    const { config, diagnostics } = parseEnvironment('environments/demo.yml', GCP_FILE);
    expect(diagnostics).toEqual([]);
    expect(config?.cloud).toEqual({
      provider: 'gcp',
      region: 'us-central1',
      project_id: 'my-gcp-project',
      service_account: 'sa@my-gcp-project.iam.gserviceaccount.com',
    });
  });

  it('fills gpu.min_nodes with 0 and keeps explicit values', () => {
    const { config } = parseEnvironment(
      'environments/demo.yaml',
      `${AWS_FILE}cluster:\n  size: large\n  gpu: { type: H100, max_nodes: 4 }\ndatabase:\n  high_availability: true\n`,
    );
    expect(config?.cluster).toEqual({ size: 'large', gpu: { type: 'H100', min_nodes: 0, max_nodes: 4 } });
    expect(config?.database).toEqual({ size: 'small', high_availability: true });
  });

  it('accepts bytes with a UTF-8 byte order mark and non-ASCII text', () => {
    const bytes = new TextEncoder().encode(`\uFEFF${AWS_FILE}description: Zürich GPU sandbox ✓\n`);
    expect(problems(bytes)).toEqual([]);
  });

  it('accepts Windows line endings and keeps positions right', () => {
    expect(problems(AWS_FILE.replace(/\n/g, '\r\n'))).toEqual([]);
    expect(problems(AWS_FILE.replace('us-east-1', 'us-eats-1').replace(/\n/g, '\r\n'))[0]).toMatch(
      /^environments\/demo\.yaml:5:11: cloud\.region "us-eats-1" is not a region of aws/,
    );
  });

  it('accepts a few harmless aliases', () => {
    expect(problems(`${AWS_FILE}tags:\n  team: &t ml\n  owner: *t\n`)).toEqual([]);
  });

  it('never returns a config together with diagnostics', () => {
    const result = parseEnvironment('environments/demo.yaml', AWS_FILE.replace('version: 1', 'version: 2'));
    expect(result.config).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
  });
});

describe('parseEnvironment: schema problems point at the key or value', () => {
  it('unknown keys get "did you mean" at the key', () => {
    expect(problems(`${AWS_FILE}clutser:\n  size: small\n`)).toEqual([
      'environments/demo.yaml:8:1: unknown key "clutser"; did you mean "cluster"?',
    ]);
    expect(problems(AWS_FILE.replace('  region:', '  regoin:'))).toEqual(
      [
        'environments/demo.yaml:5:3: unknown key "regoin" in cloud; did you mean "region"?',
        'environments/demo.yaml:3:1: missing required key "region" in cloud',
      ].sort(byPosition),
    );
  });

  it('a key at the wrong level names where it belongs', () => {
    expect(problems(`${AWS_FILE}gpu:\n  type: T4\n`)).toEqual([
      'environments/demo.yaml:8:1: unknown key "gpu"; did you mean cluster.gpu? (it belongs under cluster)',
    ]);
  });

  it('an unknown key with no close match lists the allowed keys', () => {
    expect(problems(`${AWS_FILE}cache:\n  flavour: x\n`)).toEqual([
      'environments/demo.yaml:9:3: unknown key "flavour" in cache; allowed keys: size',
    ]);
  });

  it('an unquoted 12-digit account id says "quote it", keeping leading zeros', () => {
    expect(problems(AWS_FILE.replace('"123456789012"', '123456789012'))).toEqual([
      'environments/demo.yaml:6:15: cloud.account_id must be a string, but YAML reads 123456789012 as a number; quote it: account_id: "123456789012"',
    ]);
    expect(
      problems(
        AWS_FILE.replace('"123456789012"', '012345678901').replace('::123456789012', '::012345678901'),
      ),
    ).toEqual([
      'environments/demo.yaml:6:15: cloud.account_id must be a string, but YAML reads 012345678901 as a number; quote it: account_id: "012345678901"',
    ]);
  });

  it('an unquoted kubernetes version or tag value says "quote it"', () => {
    expect(problems(`${AWS_FILE}cluster:\n  kubernetes_version: 1.30\ntags:\n  cost: 12\n`)).toEqual([
      'environments/demo.yaml:9:23: cluster.kubernetes_version must be a string, but YAML reads 1.30 as a number; quote it: kubernetes_version: "1.30"',
      'environments/demo.yaml:11:9: tags.cost must be a string, but YAML reads 12 as a number; quote it: cost: "12"',
    ]);
  });

  it('a wrong enum value lists the allowed values', () => {
    expect(problems(`${AWS_FILE}cluster:\n  size: huge\n`)).toEqual([
      'environments/demo.yaml:9:9: cluster.size must be one of small, medium, large; got "huge"',
    ]);
    expect(problems(`${AWS_FILE}database:\n  size: Medium\n`)).toEqual([
      'environments/demo.yaml:9:9: database.size must be one of small, medium, large; got "Medium"; did you mean "medium"?',
    ]);
    expect(problems(AWS_FILE.replace('provider: aws', 'provider: azure'))).toEqual([
      'environments/demo.yaml:4:13: cloud.provider must be one of aws, gcp; got "azure"',
    ]);
    expect(problems(`${AWS_FILE}cluster:\n  gpu: { type: V100, max_nodes: 1 }\n`)).toEqual([
      'environments/demo.yaml:9:16: cluster.gpu.type must be one of T4, A10G, L4, L40S, A100, H100; got "V100"; did you mean "A100"?',
    ]);
  });

  it('version must be the number 1', () => {
    expect(problems(AWS_FILE.replace('version: 1', 'version: "1"'))).toEqual([
      'environments/demo.yaml:1:10: version must be the number 1, not the string "1"; remove the quotes',
    ]);
    expect(problems(AWS_FILE.replace('version: 1', 'version: 2'))).toEqual([
      'environments/demo.yaml:1:10: version must be 1; got 2',
    ]);
  });

  it('missing required keys point at the enclosing key, or the first line at the top', () => {
    expect(problems('version: 1\nname: demo\n')).toEqual([
      'environments/demo.yaml:1:1: missing required key "cloud"',
    ]);
    expect(problems('description: x\n')).toEqual([
      'environments/demo.yaml:1:1: missing required keys "version", "name", "cloud"',
    ]);
    expect(problems(`${AWS_FILE.split('cloud:')[0]}cloud:\n  provider: aws\n`)).toEqual([
      'environments/demo.yaml:3:1: missing required keys "account_id", "role_arn" in cloud (required when cloud.provider is aws)',
      'environments/demo.yaml:3:1: missing required key "region" in cloud',
    ]);
    expect(problems(AWS_FILE.replace(/ {2}role_arn.*\n/, ''))).toEqual([
      'environments/demo.yaml:3:1: missing required key "role_arn" in cloud (required when cloud.provider is aws)',
    ]);
    expect(problems(GCP_FILE.replace(/ {2}service_account.*\n/, ''))).toEqual([
      'environments/demo.yaml:3:1: missing required key "service_account" in cloud (required when cloud.provider is gcp)',
    ]);
    expect(problems(`${AWS_FILE}cluster:\n  gpu:\n    type: T4\n`)).toEqual([
      'environments/demo.yaml:9:3: missing required key "max_nodes" in cluster.gpu',
    ]);
  });

  it('fields of the other provider are rejected at the key', () => {
    expect(problems(`${AWS_FILE}  project_id: my-gcp-project\n`)).toEqual([
      'environments/demo.yaml:8:3: cloud.project_id only applies when cloud.provider is gcp, but it is aws; remove it',
    ]);
    expect(problems(`${GCP_FILE}  account_id: "123456789012"\n`)).toEqual([
      'environments/demo.yaml:8:3: cloud.account_id only applies when cloud.provider is aws, but it is gcp; remove it',
    ]);
  });

  it('patterns explain the expected form', () => {
    expect(problems(AWS_FILE.replace('name: demo', 'name: Demo_1'))).toEqual([
      'environments/demo.yaml:2:7: name must be 1-32 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen (for example ml-staging); got "Demo_1"',
      'environments/demo.yaml:2:7: name "Demo_1" must equal the file name "demo"; set name: demo',
    ]);
    expect(problems(AWS_FILE.replace('"123456789012"', '"12345"'))).toEqual([
      'environments/demo.yaml:6:15: cloud.account_id must be exactly 12 digits, quoted (for example "123456789012"); got "12345"',
    ]);
    expect(problems(AWS_FILE.replace('role/Beta9Provisioner', 'user/bob'))).toEqual([
      'environments/demo.yaml:7:13: cloud.role_arn must be an IAM role ARN like arn:aws:iam::123456789012:role/Beta9Provisioner; got "arn:aws:iam::123456789012:user/bob"',
    ]);
  });

  it('type and range errors name the expected value', () => {
    expect(problems(`${AWS_FILE}database:\n  high_availability: yes\n`)).toEqual([
      'environments/demo.yaml:9:22: database.high_availability must be true or false, not "yes"',
    ]);
    expect(problems(`${AWS_FILE}cluster:\n  gpu: { type: T4, max_nodes: 100 }\n`)).toEqual([
      'environments/demo.yaml:9:31: cluster.gpu.max_nodes must be <= 64; got 100',
    ]);
    expect(problems(`${AWS_FILE}cluster:\n  gpu: { type: T4, max_nodes: 1.5 }\n`)).toEqual([
      'environments/demo.yaml:9:31: cluster.gpu.max_nodes must be a whole number, not 1.5',
    ]);
    expect(problems(`${AWS_FILE}cluster:\n`)).toEqual([
      'environments/demo.yaml:8:1: cluster has no value; expected a mapping of keys',
    ]);
    expect(problems(`${AWS_FILE}storage: [1]\n`)).toEqual([
      'environments/demo.yaml:8:10: storage must be a mapping of keys, not a list',
    ]);
  });

  it('tags: count, key form and value length', () => {
    const many = `tags:\n${Array.from({ length: 41 }, (_, i) => `  t${i}: v`).join('\n')}\n`;
    expect(problems(`${AWS_FILE}${many}`)).toEqual([
      'environments/demo.yaml:8:1: tags has 41 entries; at most 40 are allowed',
    ]);
    expect(problems(`${AWS_FILE}tags:\n  "bad key": v\n  ok: ${'x'.repeat(300)}\n`)).toEqual([
      'environments/demo.yaml:9:3: tags key "bad key" must be 1-63 characters of letters, digits and _.:/=+@-, starting with a letter',
      'environments/demo.yaml:10:7: tags.ok is too long: at most 256 characters are allowed',
    ]);
    expect(problems(`${AWS_FILE}tags: [a]\n`)).toEqual([
      'environments/demo.yaml:8:7: tags must be a mapping of keys, not a list',
    ]);
  });

  it('lengths and forms of free-text fields', () => {
    expect(problems(`${AWS_FILE}description: ${'y'.repeat(600)}\n`)).toEqual([
      'environments/demo.yaml:8:14: description is too long: at most 500 characters are allowed',
    ]);
    expect(problems(AWS_FILE.replace('region: us-east-1', 'region: ""'))).toEqual([
      'environments/demo.yaml:5:11: cloud.region must not be empty',
    ]);
    expect(problems(`${AWS_FILE}beta9:\n  domain: Beta9.Example.com\n  tls_email: nope\n`)).toEqual([
      'environments/demo.yaml:9:11: beta9.domain must be a lowercase DNS name like beta9.example.com; got "Beta9.Example.com"',
      'environments/demo.yaml:10:14: beta9.tls_email must be an email address like ops@example.com; got "nope"',
    ]);
    expect(problems(`${AWS_FILE}beta9:\n  version: latest\n`)).toEqual([
      'environments/demo.yaml:9:12: beta9.version must be a quoted chart version like "0.1.762"; got "latest"',
    ]);
  });

  it('reports every problem of a file at once, in line order', () => {
    const text = `version: 1
name: demo
nmae: x
cloud:
  provider: aws
  region: us-east-1
  account_id: 123456789012
  role_arn: arn:aws:iam::123456789012:role/R
cluster:
  size: xl
`;
    expect(problems(text)).toEqual([
      'environments/demo.yaml:3:1: unknown key "nmae"; did you mean "name"?',
      'environments/demo.yaml:7:15: cloud.account_id must be a string, but YAML reads 123456789012 as a number; quote it: account_id: "123456789012"',
      'environments/demo.yaml:10:9: cluster.size must be one of small, medium, large; got "xl"',
    ]);
  });
});

function byPosition(a: string, b: string): number {
  const pos = (s: string) => s.split(':').slice(1, 3).map(Number) as [number, number];
  const [la, ca] = pos(a);
  const [lb, cb] = pos(b);
  return la - lb || ca - cb;
}

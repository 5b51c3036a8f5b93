import { describe, expect, it } from 'vitest';
import { AWS_REGIONS, GCP_REGIONS } from '../../../src/engine/config/index.js';
import { AWS_FILE, GCP_FILE, problems } from './helpers.js';

describe('cross-field rules, each at its exact line and column', () => {
  it('the account in role_arn must match account_id', () => {
    expect(problems(AWS_FILE.replace('iam::123456789012', 'iam::999999999999'))).toEqual([
      'environments/demo.yaml:7:13: cloud.role_arn is in account 999999999999, but cloud.account_id is 123456789012; use a role in account 123456789012 (the provisioner works inside one account)',
    ]);
  });

  it('name must equal the file stem (.yaml and .yml)', () => {
    expect(problems(AWS_FILE, 'environments/other.yaml')).toEqual([
      'environments/other.yaml:2:7: name "demo" must equal the file name "other"; rename the file to demo.yaml or set name: other',
    ]);
    expect(problems(AWS_FILE, 'environments/demo.yml')).toEqual([]);
    expect(problems(AWS_FILE, 'C:\\repo\\environments\\demo.yaml')).toEqual([]);
  });

  it('environment files must end in .yaml or .yml', () => {
    expect(problems(AWS_FILE, 'environments/demo.json')).toEqual([
      'environments/demo.json:1:1: environment files must be named <name>.yaml or <name>.yml',
      'environments/demo.json:2:7: name "demo" must equal the file name "demo.json"; rename the file to demo.yaml or set name: demo.json',
    ]);
  });

  it('the region must exist for the provider', () => {
    expect(problems(AWS_FILE.replace('us-east-1', 'us-eats-1'))[0]).toMatch(
      /^environments\/demo\.yaml:5:11: cloud\.region "us-eats-1" is not a region of aws; did you mean "us-east-1"\? known regions: us-east-1, us-east-2, /,
    );
    expect(problems(AWS_FILE.replace('us-east-1', 'us-central1'))).toEqual([
      'environments/demo.yaml:5:11: cloud.region "us-central1" is a region of gcp, but cloud.provider is aws; aws regions look like us-east-1',
    ]);
    expect(problems(GCP_FILE.replace('us-central1', 'eu-west-1'))).toEqual([
      'environments/demo.yaml:5:11: cloud.region "eu-west-1" is a region of aws, but cloud.provider is gcp; gcp regions look like us-central1',
    ]);
    expect(problems(GCP_FILE.replace('us-central1', 'mars-north1'))[0]).toContain(
      'demo.yaml:5:11: cloud.region "mars-north1" is not a region of gcp; known regions: africa-south1',
    );
  });

  it('every listed region is accepted for its provider', () => {
    for (const region of AWS_REGIONS) expect(problems(AWS_FILE.replace('us-east-1', region))).toEqual([]);
    for (const region of GCP_REGIONS) expect(problems(GCP_FILE.replace('us-central1', region))).toEqual([]);
  });

  it('the GPU type must be available on the cloud', () => {
    for (const type of ['A10G', 'L40S']) {
      expect(problems(`${GCP_FILE}cluster:\n  gpu:\n    type: ${type}\n    max_nodes: 1\n`)).toEqual([
        `environments/demo.yaml:10:11: cluster.gpu.type ${type} is not available on gcp; choose one of T4, L4, A100, H100`,
      ]);
    }
    for (const type of ['T4', 'A10G', 'L4', 'L40S', 'A100', 'H100']) {
      expect(problems(`${AWS_FILE}cluster:\n  gpu:\n    type: ${type}\n    max_nodes: 1\n`)).toEqual([]);
    }
  });

  it('max_nodes must be at least min_nodes', () => {
    expect(
      problems(`${AWS_FILE}cluster:\n  gpu:\n    type: T4\n    min_nodes: 3\n    max_nodes: 2\n`),
    ).toEqual(['environments/demo.yaml:12:16: cluster.gpu.max_nodes (2) must be at least min_nodes (3)']);
    expect(
      problems(`${AWS_FILE}cluster:\n  gpu:\n    type: T4\n    min_nodes: 2\n    max_nodes: 2\n`),
    ).toEqual([]);
  });

  it('domain requires tls_email', () => {
    expect(problems(`${AWS_FILE}beta9:\n  domain: beta9.example.com\n`)).toEqual([
      "environments/demo.yaml:9:3: beta9.domain is set, so beta9.tls_email is required (Let's Encrypt sends certificate notices there); add tls_email: you@example.com under beta9",
    ]);
    expect(
      problems(`${AWS_FILE}beta9:\n  domain: beta9.example.com\n  tls_email: ops@example.com\n`),
    ).toEqual([]);
  });

  it('the CIDR must be private (RFC 1918) and /16 to /20', () => {
    const cidr = (value: string) => problems(`${AWS_FILE}network:\n  cidr: ${value}\n`);
    expect(cidr('8.8.0.0/16')).toEqual([
      'environments/demo.yaml:9:9: network.cidr 8.8.0.0/16 is not a private range; use a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918)',
    ]);
    expect(cidr('172.32.0.0/16')[0]).toContain('9:9: network.cidr 172.32.0.0/16 is not a private range');
    expect(cidr('10.0.0.0/24')).toEqual([
      'environments/demo.yaml:9:9: network.cidr 10.0.0.0/24 is a /24; use a prefix from /16 (65,536 addresses) to /20 (4,096 addresses)',
    ]);
    expect(cidr('10.0.0.0/12')[0]).toContain('9:9: network.cidr 10.0.0.0/12 is a /12');
    expect(cidr('10.0.1.0/16')).toEqual([
      'environments/demo.yaml:9:9: network.cidr "10.0.1.0/16" has host bits set; the network address is 10.0.0.0/16',
    ]);
    expect(cidr('10.0.300.0/16')[0]).toContain('9:9: network.cidr "10.0.300.0/16" is not an IPv4 address');
    expect(cidr('10.0.0.0')[0]).toContain(
      '9:9: network.cidr must be an IPv4 CIDR like 10.0.0.0/16; got "10.0.0.0"',
    );
    for (const ok of ['10.0.0.0/16', '172.16.0.0/20', '192.168.0.0/16', '10.255.240.0/20'])
      expect(cidr(ok)).toEqual([]);
  });

  it('a GCP network must hold the pod addresses of the largest cluster', () => {
    expect(
      problems(`${GCP_FILE}cluster:\n  gpu: { type: T4, max_nodes: 2 }\nnetwork:\n  cidr: 10.0.0.0/20\n`),
    ).toEqual([
      'environments/demo.yaml:11:9: network.cidr 10.0.0.0/20 has pod addresses for 4 GKE nodes, but the cluster can grow to 5 (3 system + 2 GPU); use a larger network (a /16 holds 64 nodes) or lower cluster.gpu.max_nodes',
    ]);
    // With the default /16 the problem is the GPU pool's maximum.
    expect(problems(`${GCP_FILE}cluster:\n  size: large\n  gpu:\n    type: L4\n    max_nodes: 60\n`)).toEqual(
      [
        'environments/demo.yaml:12:16: network.cidr 10.0.0.0/16 has pod addresses for 64 GKE nodes, but the cluster can grow to 72 (12 system + 60 GPU); use a larger network (a /16 holds 64 nodes) or lower cluster.gpu.max_nodes',
      ],
    );
    expect(problems(`${GCP_FILE}network:\n  cidr: 10.0.0.0/20\n`)).toEqual([]);
    // EKS pods take addresses from the private subnets instead.
    expect(
      problems(`${AWS_FILE}cluster:\n  gpu: { type: T4, max_nodes: 2 }\nnetwork:\n  cidr: 10.0.0.0/20\n`),
    ).toEqual([]);
  });

  it('reserved tags cannot be set by the file', () => {
    expect(problems(`${AWS_FILE}tags:\n  team: ml\n  managed-by: me\n`)).toEqual([
      'environments/demo.yaml:10:3: tags.managed-by is set by the provisioner; remove it',
    ]);
  });

  it('GCP tags follow label rules', () => {
    expect(problems(`${GCP_FILE}tags:\n  Team: ML\n`)).toEqual([
      'environments/demo.yaml:9:3: tags key "Team" must be a GCP label key: 1-63 lowercase letters, digits, _ or -, starting with a letter',
      'environments/demo.yaml:9:9: tags.Team must be a GCP label value: at most 63 lowercase letters, digits, _ or -; got "ML"',
    ]);
  });

  it('cross-field problems are reported together with schema problems', () => {
    const text = AWS_FILE.replace('iam::123456789012', 'iam::999999999999') + 'cluster:\n  size: tiny\n';
    expect(problems(text, 'environments/x.yaml')).toEqual([
      'environments/x.yaml:2:7: name "demo" must equal the file name "x"; rename the file to demo.yaml or set name: x',
      'environments/x.yaml:7:13: cloud.role_arn is in account 999999999999, but cloud.account_id is 123456789012; use a role in account 123456789012 (the provisioner works inside one account)',
      'environments/x.yaml:9:9: cluster.size must be one of small, medium, large; got "tiny"',
    ]);
  });
});

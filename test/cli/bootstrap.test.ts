import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import nock from 'nock';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KEY_PLACEHOLDER, PASSWORD_PLACEHOLDER } from '../../src/cli/commands/bootstrap.js';
import { commands } from '../../src/cli/commands/index.js';
import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/types.js';
import { AWS_SECRET_KEY, DB_PASSWORD, FakeKube, awsOutputs } from '../engine/bootstrap/fixtures.js';

const EXAMPLE = resolve(__dirname, '../../environments/ml-staging.yaml');
const DOUBLES = resolve(__dirname, '../doubles/bin');

let cwd: string;
let out: string;
let err: string;
const io = (): CliIo => ({
  stdout: (t) => void (out += t),
  stderr: (t) => void (err += t),
  cwd,
  env: {
    ...process.env,
    PATH: `${DOUBLES}:${process.env.PATH}`,
    BETA9_HELM_DOUBLE_STATE: join(cwd, 'helm.json'),
  },
});
const cli = (...argv: string[]) => run(argv, io(), commands);

/** The example environment's outputs, named as the AWS stack names them. */
function writeOutputs(outputs: Record<string, unknown> = awsOutputs()): string {
  const o = { ...outputs, cluster_name: { value: 'beta9-ml-staging', type: 'string', sensitive: false } };
  writeFileSync(join(cwd, 'outputs.json'), JSON.stringify(o));
  return 'outputs.json';
}

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'beta9-bootstrap-cli-'));
  out = '';
  err = '';
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
  nock.cleanAll();
  nock.enableNetConnect();
  vi.unstubAllEnvs();
});

describe('beta9-provisioner bootstrap --values-only', () => {
  it('prints the releases and values without touching a cloud, secrets as placeholders', async () => {
    nock.disableNetConnect();
    expect(await cli('bootstrap', EXAMPLE, '--outputs', writeOutputs(), '--values-only')).toBe(0);
    const doc = parse(out) as {
      releases: { release: string; chart: string; values: Record<string, unknown> }[];
    };
    expect(doc.releases.map((r) => r.release)).toEqual(['cert-manager', 'traefik', 'beta9']);
    const beta9 = doc.releases[2]!;
    expect(beta9.chart).toBe('oci://public.ecr.aws/n4e0e1y0/beta9-chart');
    expect(beta9.values).toMatchObject({
      postgresql: { enabled: false },
      redis: { enabled: false },
      config: {
        database: {
          postgres: { password: PASSWORD_PLACEHOLDER, encryptionKey: KEY_PLACEHOLDER, enableTLS: true },
        },
      },
      persistence: { images: { storageClass: 'gp3' } },
    });
    expect(err).toBe('');
  });

  it('names the missing outputs', async () => {
    const outputs = awsOutputs() as Record<string, unknown>;
    delete outputs.rds_master_user_secret_arn;
    expect(await cli('bootstrap', EXAMPLE, '--outputs', writeOutputs(outputs), '--values-only')).toBe(1);
    expect(err).toMatch(/missing what the bootstrap needs: rds_master_user_secret_arn/);
    expect(err).toMatch(/Next step:/);
  });

  it('is a usage error without --outputs or with an unknown ingress', async () => {
    expect(await cli('bootstrap', EXAMPLE)).toBe(2);
    expect(err).toMatch(/--outputs FILE is required/);
    expect(await cli('bootstrap', EXAMPLE, '--outputs', 'x.json', '--ingress', 'ingress-nginx')).toBe(2);
    expect(err).toMatch(/--ingress must be one of traefik, none/);
  });

  it('says when the outputs file is not terraform output JSON', async () => {
    writeFileSync(join(cwd, 'bad.json'), '[1,2]');
    expect(await cli('bootstrap', EXAMPLE, '--outputs', 'bad.json', '--values-only')).toBe(1);
    expect(err).toMatch(/bad.json: cannot read the Terraform outputs: not a JSON object/);
  });
});

describe('beta9-provisioner bootstrap (AWS SDK, Kubernetes and helm faked)', () => {
  it('bootstraps with the default credential chain and never prints a secret', async () => {
    nock.disableNetConnect();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDCLIEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', AWS_SECRET_KEY);
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_PROFILE', '');
    const eks = nock('https://eks.us-east-1.amazonaws.com')
      .get('/clusters/beta9-ml-staging')
      .reply(200, {
        cluster: {
          name: 'beta9-ml-staging',
          endpoint: 'https://kube.test',
          status: 'ACTIVE',
          certificateAuthority: { data: 'Q0E=' },
        },
      });
    const sm = nock('https://secretsmanager.us-east-1.amazonaws.com')
      .post(
        '/',
        (body) => body.SecretId === 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-AbCdEf',
      )
      .reply(200, {
        ARN: 'arn:x',
        Name: 'rds!db',
        SecretString: JSON.stringify({ username: 'beta9', password: DB_PASSWORD }),
      });
    const kube = new FakeKube('https://kube.test').install();
    kube.nodes = kube.nodes.concat([{ name: 'ip-10-0-160-12', ready: true }]);

    const code = await cli('bootstrap', EXAMPLE, '--outputs', writeOutputs());
    expect(err + out).not.toContain(DB_PASSWORD);
    expect(err + out).not.toContain(AWS_SECRET_KEY);
    expect(code, err).toBe(0);
    expect(out).toContain('beta9/beta9: beta9-chart 0.1.762, revision 1, deployed');
    expect(err).toContain('==> cert-manager:');
    expect(eks.isDone() && sm.isDone()).toBe(true);
    expect(kube.secretData('beta9', 'beta9-database')).toMatchObject({
      username: 'beta9',
      password: DB_PASSWORD,
    });
    const state = JSON.parse(readFileSync(join(cwd, 'helm.json'), 'utf8'));
    expect(Object.keys(state.releases).sort()).toEqual([
      'beta9/beta9',
      'cert-manager/cert-manager',
      'traefik/traefik',
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMinReady, helmSeconds } from '../../../src/engine/bootstrap/bootstrap.js';
import { buildKubeConfig } from '../../../src/engine/bootstrap/kubeconfig.js';
import {
  connectionFromOutputs,
  normalizeOutputs,
  splitHostPort,
} from '../../../src/engine/bootstrap/outputs.js';
import { parseEnvironment } from '../../../src/engine/config/index.js';
import { toInfraModel } from '../../../src/engine/model/index.js';
import { awsModel, awsOutputs, gcpModel, gcpOutputs } from './fixtures.js';

describe('connectionFromOutputs', () => {
  it('reads the AWS outputs (terraform output -json form)', () => {
    const c = connectionFromOutputs(awsModel(), awsOutputs());
    expect(c).toEqual({
      clusterName: 'beta9-ml-staging',
      clusterLocation: 'us-east-1',
      database: {
        host: 'beta9-ml-staging.c9akciq32.us-east-1.rds.amazonaws.com',
        port: 5432,
        name: undefined,
        username: undefined,
        passwordSource: {
          kind: 'aws-secrets-manager',
          secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-AbCdEf',
        },
      },
      redis: { host: 'master.beta9-ml-staging.abc123.use1.cache.amazonaws.com', port: 6379 },
      bucketName: 'beta9-ml-staging-123456789012',
    });
  });

  it('reads the GCP stack outputs (flat form)', () => {
    const c = connectionFromOutputs(gcpModel(), gcpOutputs());
    expect(c.database).toMatchObject({
      host: '10.20.0.3',
      port: 5432,
      passwordSource: {
        kind: 'gcp-secret-manager',
        secretName: 'projects/my-gcp-project/secrets/beta9-gpu-lab-postgres-password',
      },
    });
    expect(c.clusterLocation).toBe('europe-west4');
    expect(c.redis).toMatchObject({ host: '10.20.1.4', port: 6378 });
    expect(c.redis.caCertificate).toContain('BEGIN CERTIFICATE');
  });

  it('lists every missing output at once', () => {
    expect(() => connectionFromOutputs(gcpModel(), { cluster_name: 'x' })).toThrow(
      /missing what the bootstrap needs: redis_endpoint, database_private_ip or database_host, database_secret_id or database_password_secret/,
    );
  });

  it('rejects a redis_port that is not a port', () => {
    expect(() =>
      connectionFromOutputs(awsModel(), { ...awsOutputs(), redis_port: { value: 'abc' } }),
    ).toThrow(/redis_port \(a port number, got "abc"\)/);
  });

  it('splits host:port and unwraps output values', () => {
    expect(splitHostPort('db.example.com:5433', 5432)).toEqual({ host: 'db.example.com', port: 5433 });
    expect(splitHostPort('db.example.com', 5432)).toEqual({ host: 'db.example.com', port: 5432 });
    expect(normalizeOutputs({ a: { value: 1, sensitive: false }, b: 'x' })).toEqual({ a: 1, b: 'x' });
  });
});

describe('with the real parser and toInfraModel', () => {
  it('waits for the minimum of the CPU node groups of the example environment', () => {
    const file = resolve(__dirname, '../../../environments/ml-staging.yaml');
    const { config, diagnostics } = parseEnvironment(
      'environments/ml-staging.yaml',
      readFileSync(file, 'utf8'),
    );
    expect(diagnostics).toEqual([]);
    const model = toInfraModel(config!);
    const cpuMin = model.cluster.nodeGroups.reduce((n, g) => n + g.minNodes, 0);
    expect(defaultMinReady(model)).toBe(Math.max(1, cpuMin));
    expect(connectionFromOutputs(model, awsOutputs()).clusterLocation).toBe(model.cloud.region);
  });
});

describe('buildKubeConfig TLS', () => {
  it('ignores skipTLSVerify for an https server: the CA is always verified', () => {
    const kc = buildKubeConfig({
      name: 'c',
      server: 'https://1.2.3.4',
      caData: 'Q0E=',
      token: 't',
      skipTLSVerify: true,
    });
    expect(kc.getCurrentCluster()).toMatchObject({ caData: 'Q0E=', skipTLSVerify: false });
  });

  it('allows skipTLSVerify for a plain-http test server', () => {
    const kc = buildKubeConfig({
      name: 'c',
      server: 'http://127.0.0.1:8080',
      caData: 'Q0E=',
      token: 't',
      skipTLSVerify: true,
    });
    expect(kc.getCurrentCluster()).toMatchObject({ skipTLSVerify: true });
  });
});

describe('helmSeconds', () => {
  it('reads seconds and Go durations', () => {
    expect(helmSeconds(90)).toBe(90);
    expect(helmSeconds('10m')).toBe(600);
    expect(helmSeconds('1h2m3s')).toBe(3723);
  });
});

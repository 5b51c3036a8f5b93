import { describe, expect, it } from 'vitest';
import { gkeKubeTarget, type FetchLike } from '../../../src/engine/bootstrap/gke.js';
import { buildKubeConfig, kubeConfigYaml } from '../../../src/engine/bootstrap/kubeconfig.js';
import { Redactor } from '../../../src/engine/bootstrap/redact.js';
import {
  readDatabaseCredentials,
  secretVersionName,
  type SecretsManagerLike,
} from '../../../src/engine/bootstrap/secrets.js';
import { DB_PASSWORD, GCP_TOKEN } from './fixtures.js';

function fakeFetch(routes: Record<string, { status: number; body: unknown }>) {
  const calls: { url: string; auth?: string }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, auth: init?.headers?.authorization });
    const r = routes[url] ?? { status: 404, body: { error: { code: 404, message: 'Not found' } } };
    return {
      ok: r.status >= 200 && r.status < 300,
      status: r.status,
      json: async () => r.body,
      text: async () => JSON.stringify(r.body),
    };
  };
  return { fetch, calls };
}

const auth = { getAccessToken: async () => ({ token: GCP_TOKEN }) };
const clusterUrl =
  'https://container.googleapis.com/v1/projects/my-gcp-project/locations/europe-west4/clusters/beta9-gpu-lab';

describe('gkeKubeTarget', () => {
  it('reads endpoint and CA from projects.locations.clusters.get with the access token', async () => {
    const { fetch, calls } = fakeFetch({
      [clusterUrl]: {
        status: 200,
        body: { endpoint: '34.90.1.2', status: 'RUNNING', masterAuth: { clusterCaCertificate: 'Q0E=' } },
      },
    });
    const t = await gkeKubeTarget({ auth, fetch }, 'my-gcp-project', 'europe-west4', 'beta9-gpu-lab');
    expect(t).toEqual({
      name: 'beta9-gpu-lab',
      server: 'https://34.90.1.2',
      caData: 'Q0E=',
      token: GCP_TOKEN,
    });
    expect(calls).toEqual([{ url: clusterUrl, auth: `Bearer ${GCP_TOKEN}` }]);
  });

  it('accepts GoogleAuth-style string tokens and maps 403 to auth', async () => {
    const { fetch } = fakeFetch({
      [clusterUrl]: { status: 403, body: { error: { message: 'Permission denied on resource' } } },
    });
    const err = await gkeKubeTarget(
      { auth: { getAccessToken: async () => 'tok' }, fetch },
      'my-gcp-project',
      'europe-west4',
      'beta9-gpu-lab',
    ).catch((e) => e);
    expect(err.failureClass).toBe('credentials');
    expect(err.message).toMatch(/Permission denied/);
  });

  it('fails clearly when no token is returned', async () => {
    const { fetch } = fakeFetch({});
    const err = await gkeKubeTarget(
      { auth: { getAccessToken: async () => null }, fetch },
      'p',
      'l',
      'c',
    ).catch((e) => e);
    expect(err.failureClass).toBe('credentials');
  });
});

describe('buildKubeConfig', () => {
  it('builds an in-memory config with the token and CA, and no file', () => {
    const kc = buildKubeConfig({ name: 'c1', server: 'https://1.2.3.4', caData: 'Q0E=', token: 'tok-123' });
    expect(kc.getCurrentCluster()).toMatchObject({
      name: 'c1',
      server: 'https://1.2.3.4',
      caData: 'Q0E=',
      skipTLSVerify: false,
    });
    expect(kc.getCurrentUser()).toMatchObject({ token: 'tok-123' });
    expect(
      kubeConfigYaml({ name: 'c1', server: 'https://1.2.3.4', caData: 'Q0E=', token: 'tok-123' }),
    ).toContain('tok-123');
  });

  it('rejects a server that is not a URL', () => {
    expect(() => buildKubeConfig({ name: 'c', server: '34.90.1.2', caData: '', token: 't' })).toThrow(
      /not a URL/,
    );
  });
});

describe('readDatabaseCredentials', () => {
  it('reads {username,password} JSON from Secrets Manager and teaches the redactor the password', async () => {
    const seen: unknown[] = [];
    const sm: SecretsManagerLike = {
      send: async (cmd) => {
        seen.push(cmd.input);
        return { SecretString: JSON.stringify({ username: 'beta9admin', password: DB_PASSWORD }) };
      },
    };
    const redactor = new Redactor();
    const creds = await readDatabaseCredentials(
      { secretsManager: sm },
      { kind: 'aws-secrets-manager', secretArn: 'arn:x' },
      redactor,
    );
    expect(creds).toEqual({ username: 'beta9admin', password: DB_PASSWORD, dbname: undefined });
    expect(seen).toEqual([{ SecretId: 'arn:x' }]);
    expect(redactor.redact(`pw=${DB_PASSWORD}`)).toBe('pw=***');
  });

  it('names the missing field without printing the secret', async () => {
    const sm: SecretsManagerLike = {
      send: async () => ({ SecretString: JSON.stringify({ username: 'u', pass: DB_PASSWORD }) }),
    };
    const err = await readDatabaseCredentials(
      { secretsManager: sm },
      { kind: 'aws-secrets-manager', secretArn: 'arn:x' },
      new Redactor(),
    ).catch((e) => e);
    expect(err.failureClass).toBe('secret');
    expect(err.message).toMatch(/no "password" field/);
    expect(err.message).not.toContain(DB_PASSWORD);
  });

  it('maps AccessDenied to auth with the permission to grant', async () => {
    const sm: SecretsManagerLike = {
      send: async () => {
        throw Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
      },
    };
    const err = await readDatabaseCredentials(
      { secretsManager: sm },
      { kind: 'aws-secrets-manager', secretArn: 'arn:x' },
      new Redactor(),
    ).catch((e) => e);
    expect(err.failureClass).toBe('credentials');
    expect(err.nextStep).toMatch(/secretsmanager:GetSecretValue/);
  });

  it('accesses the latest version in GCP Secret Manager (plain-text payload)', async () => {
    const url =
      'https://secretmanager.googleapis.com/v1/projects/my-gcp-project/secrets/db-pw/versions/latest:access';
    const { fetch, calls } = fakeFetch({
      [url]: {
        status: 200,
        body: { name: 'x', payload: { data: Buffer.from(DB_PASSWORD).toString('base64') } },
      },
    });
    const redactor = new Redactor();
    const creds = await readDatabaseCredentials(
      { gcpAuth: auth, fetch },
      { kind: 'gcp-secret-manager', secretName: 'projects/my-gcp-project/secrets/db-pw' },
      redactor,
    );
    expect(creds.password).toBe(DB_PASSWORD);
    expect(calls[0]?.url).toBe(url);
    expect(redactor.redact(GCP_TOKEN)).toBe('***');
  });

  it('resolves secret names', () => {
    expect(secretVersionName('db', 'p')).toBe('projects/p/secrets/db/versions/latest');
    expect(secretVersionName('projects/p/secrets/db/versions/3', 'x')).toBe(
      'projects/p/secrets/db/versions/3',
    );
    expect(() => secretVersionName('bad name!', 'p')).toThrow(/not a Secret Manager secret name/);
  });
});

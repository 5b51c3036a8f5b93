import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awsCredentials,
  CredentialsError,
  gcpCredentials,
  sessionName,
} from '../../src/action/credentials.js';
import type { AwsCloud, GcpCloud } from '../../src/engine/config/types.js';

const aws: AwsCloud = {
  provider: 'aws',
  region: 'us-east-1',
  account_id: '123456789012',
  role_arn: 'arn:aws:iam::123456789012:role/P',
  external_id: 'ext',
};
const gcp: GcpCloud = {
  provider: 'gcp',
  region: 'us-central1',
  project_id: 'proj',
  service_account: 'sa@proj.iam.gserviceaccount.com',
};

describe('credentials', () => {
  let server: Server;
  let url = '';
  const seen: Array<{ path: string; body: string; auth?: string }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', body, auth: req.headers.authorization });
        res.setHeader('content-type', 'application/json');
        if (req.url === '/v1/token') {
          res.end(
            JSON.stringify({
              access_token: 'federated-token',
              issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
              token_type: 'Bearer',
              expires_in: 3600,
            }),
          );
        } else {
          res.end(
            JSON.stringify({ accessToken: 'ya29.impersonated-token', expireTime: '2099-01-01T00:00:00Z' }),
          );
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('exchanges the OIDC token through workload identity federation and impersonates the service account', async () => {
    const masked: string[] = [];
    const audiences: string[] = [];
    const provider = 'projects/123/locations/global/workloadIdentityPools/gh/providers/gh';
    const creds = await gcpCredentials(
      gcp,
      {
        workloadIdentityProvider: provider,
        audience: `//iam.googleapis.com/${provider}`,
        stsUrl: `${url}/v1/token`,
        iamCredentialsUrl: url,
      },
      { getIdToken: async (aud) => (audiences.push(aud), 'oidc-jwt'), setSecret: (v) => masked.push(v) },
    );
    expect(audiences).toEqual([`//iam.googleapis.com/${provider}`]);
    expect(creds.env.GOOGLE_OAUTH_ACCESS_TOKEN).toBe('ya29.impersonated-token');
    expect(masked).toEqual(expect.arrayContaining(['oidc-jwt', 'ya29.impersonated-token']));
    const exchange = new URLSearchParams(seen[0]?.body);
    expect(exchange.get('subject_token')).toBe('oidc-jwt');
    expect(exchange.get('audience')).toBe(`//iam.googleapis.com/${provider}`);
    expect(seen[1]?.path).toBe(
      '/v1/projects/-/serviceAccounts/sa%40proj.iam.gserviceaccount.com:generateAccessToken',
    );
    expect(seen[1]?.auth).toBe('Bearer federated-token');
    expect(JSON.parse(seen[1]?.body ?? '{}').lifetime).toBe('3600s');
  });

  it('refuses a GCP environment without a workload identity provider, saying which input to set', async () => {
    await expect(
      gcpCredentials(gcp, {}, { getIdToken: async () => 't', setSecret: () => undefined }),
    ).rejects.toThrow(/gcp-workload-identity-provider/);
  });

  it('refuses an external_id without a base role, since web identity cannot carry one', async () => {
    const err = await awsCredentials(
      aws,
      { environment: 'e', runId: '1', audience: 'sts.amazonaws.com' },
      { getIdToken: async () => 't', setSecret: () => undefined },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(CredentialsError);
    expect((err as CredentialsError).nextStep).toMatch(/aws-role-arn/);
  });

  it('explains a missing id-token permission', async () => {
    const err = await awsCredentials(
      { ...aws, external_id: undefined },
      { environment: 'e', runId: '1', audience: 'sts.amazonaws.com' },
      {
        getIdToken: async () =>
          Promise.reject(new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable')),
        setSecret: () => undefined,
      },
    ).catch((e) => e);
    expect((err as CredentialsError).nextStep).toMatch(/id-token: write/);
  });

  it('names sessions within STS limits', () => {
    expect(sessionName('a'.repeat(40), '123456789012345678901234567890')).toHaveLength(64);
    expect(sessionName('ml', '9')).toBe('beta9-ml-9');
  });
});

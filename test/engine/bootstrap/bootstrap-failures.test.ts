import { describe, expect, it } from 'vitest';
import { bootstrapCluster } from '../../../src/engine/bootstrap/bootstrap.js';
import type { ExecFn } from '../../../src/engine/bootstrap/exec.js';
import type { SecretsManagerLike } from '../../../src/engine/bootstrap/secrets.js';
import { AWS_SECRET_KEY, AWS_SESSION_TOKEN, DB_PASSWORD, awsModel, awsOutputs } from './fixtures.js';
import { deps, eks, expectNoSecrets, h, options, useHarness } from './harness.js';

useHarness();

describe('bootstrapCluster failures are outcomes with a class and a next step', () => {
  it('names every missing output before touching the network', async () => {
    const outputs = awsOutputs() as Record<string, unknown>;
    delete outputs.rds_endpoint;
    delete outputs.redis_endpoint;
    const outcome = await bootstrapCluster(deps(), options({ outputs }));
    expect(outcome).toMatchObject({
      ok: false,
      phase: 'kubeconfig',
      failureClass: 'config',
      retryable: false,
    });
    if (outcome.ok) return;
    expect(outcome.message).toMatch(/redis_endpoint, rds_endpoint/);
    expect(h.kube.requests).toEqual([]);
  });

  it('refuses a domain without an ingress controller', async () => {
    const outcome = await bootstrapCluster(
      deps(),
      options({ model: awsModel({ domain: 'b.example.com', tlsEmail: 'a@b.c' }), ingress: 'none' }),
    );
    expect(outcome).toMatchObject({ ok: false, failureClass: 'config' });
    if (!outcome.ok) expect(outcome.nextStep).toMatch(/Choose an ingress controller/);
  });

  it('refuses a helm timeout that is not a duration, and warns when it outlives an EKS token', async () => {
    const bad = await bootstrapCluster(deps(), options({ helmTimeout: 'ten minutes' }));
    expect(bad).toMatchObject({ ok: false, phase: 'kubeconfig', failureClass: 'config' });
    if (!bad.ok) expect(bad.message).toMatch(/'ten minutes' is not a Go duration/);
    const long = await bootstrapCluster(deps(), options({ helmTimeout: '20m', ingress: 'none' }));
    expect(long.ok).toBe(true);
    expect(
      h.logLines.some((l) => l.startsWith('warning: helm timeout 20m is longer than an EKS token lives')),
    ).toBe(true);
  });

  it('reports nodes that never become Ready', async () => {
    h.kube.nodes = [{ name: 'a', ready: false }];
    const outcome = await bootstrapCluster(deps(), options());
    expect(outcome).toMatchObject({
      ok: false,
      phase: 'nodes',
      failureClass: 'nodes_not_ready',
      retryable: true,
    });
  });

  it('reports a refused Secrets Manager read as auth in the secrets phase', async () => {
    const sm: SecretsManagerLike = {
      send: async () => {
        throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
      },
    };
    const outcome = await bootstrapCluster(
      deps({
        aws: { eks, secretsManager: sm, credentials: { accessKeyId: 'A', secretAccessKey: AWS_SECRET_KEY } },
      }),
      options(),
    );
    expect(outcome).toMatchObject({ ok: false, phase: 'secrets', failureClass: 'credentials' });
    expect(h.kube.secrets.size).toBe(0);
  });

  it('reports refused cluster credentials as auth', async () => {
    h.kube.acceptToken = () => false;
    const outcome = await bootstrapCluster(deps(), options());
    expect(outcome).toMatchObject({ ok: false, phase: 'nodes', failureClass: 'credentials' });
    if (!outcome.ok) expect(outcome.nextStep).toMatch(/access entry/);
  });

  it('a helm timeout fails the beta9 phase (retryable); the re-run converges', async () => {
    const env = { BETA9_HELM_DOUBLE_FAIL: 'beta9:timeout:1' };
    const failed = await bootstrapCluster(deps(), options({}, env));
    expect(failed).toMatchObject({ ok: false, phase: 'beta9', failureClass: 'timeout', retryable: true });
    if (failed.ok) return;
    expect(failed.message).toMatch(/context deadline exceeded/);
    expect(failed.timings.map((t) => t.phase)).toContain('ingress');
    expectNoSecrets(failed);
    const again = await bootstrapCluster(deps(), options({}, env));
    expect(again).toMatchObject({ ok: true });
    expect(h.secretsManagerCalls).toBe(2); // the password is read afresh each run, never cached
  });

  it('a chart pull failure is retryable (network); a broken release is not', async () => {
    const pull = await bootstrapCluster(
      deps(),
      options({}, { BETA9_HELM_DOUBLE_FAIL: 'cert-manager:not_found' }),
    );
    expect(pull).toMatchObject({
      ok: false,
      phase: 'cert-manager',
      failureClass: 'network',
      retryable: true,
    });
    const broken = await bootstrapCluster(deps(), options({}, { BETA9_HELM_DOUBLE_FAIL: 'traefik:failed' }));
    expect(broken).toMatchObject({
      ok: false,
      phase: 'ingress',
      failureClass: 'release_failed',
      retryable: false,
    });
  });

  it('redacts the password when helm echoes it back', async () => {
    const exec: ExecFn = async (_file, args, opts) => {
      const fail = args[0] === 'upgrade' && args[2] === 'beta9';
      const stderr = fail
        ? `Error: UPGRADE FAILED: cannot connect with password=${DB_PASSWORD}\n`
        : `token: ${AWS_SESSION_TOKEN}\n`;
      // Like spawnExec: every stderr line goes to the sink as it arrives.
      for (const line of stderr.trimEnd().split('\n')) opts.onStderrLine?.(line);
      return fail
        ? { exitCode: 1, stdout: '', stderr, timedOut: false }
        : {
            exitCode: 0,
            stdout: JSON.stringify({
              name: args[2],
              namespace: 'x',
              version: 1,
              info: { status: 'deployed' },
              chart: { metadata: { name: 'c', version: '1' } },
            }),
            stderr,
            timedOut: false,
          };
    };
    const outcome = await bootstrapCluster(deps(), options({ helm: { exec, tmpDir: h.dir } }));
    expect(outcome).toMatchObject({ ok: false, phase: 'beta9', failureClass: 'release_failed' });
    if (!outcome.ok) expect(outcome.message).toContain('password=***');
    expectNoSecrets(outcome);
  });
});

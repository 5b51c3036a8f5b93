/**
 * The bundled Action end to end, as a child process, against the Terraform and Helm doubles and
 * GitHub, AWS and Kubernetes faked on local ports. One repository, one story: a pull request is
 * planned, merged and applied, re-run, bootstrapped, checked for drift, and finally destroyed.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DB_PASSWORD,
  FakeGoogle,
  GCP_ACCESS_TOKEN,
  FakeAws,
  FakeGitHub,
  FakeKubeServer,
  OIDC_TOKEN,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
} from './fake-cloud.js';
import { buildActionDir, runAction, TempRepo, visibleLog, type RunResult } from './harness.js';

const STAGING = readFileSync(new URL('../../environments/ml-staging.yaml', import.meta.url), 'utf8');
const RESIZED = STAGING.replace('database:\n  size: small', 'database:\n  size: medium');
const PROD = STAGING.replace(/ml-staging/g, 'prod').replace(
  'deletion_protection: false',
  'deletion_protection: true',
);
const GPU_RESEARCH = readFileSync(new URL('../../environments/gpu-research.yaml', import.meta.url), 'utf8');
const SECRETS = [DB_PASSWORD, SECRET_ACCESS_KEY, SESSION_TOKEN, OIDC_TOKEN, GCP_ACCESS_TOKEN];

const prPayload = (base: string, head: string, headRepo = 'acme/infra') => ({
  pull_request: {
    number: 7,
    base: { sha: base, ref: 'main', repo: { full_name: 'acme/infra' } },
    head: { sha: head, repo: { full_name: headRepo } },
  },
  repository: { full_name: 'acme/infra', default_branch: 'main' },
});
const pushPayload = (before: string, after: string) => ({
  before,
  after,
  repository: { full_name: 'acme/infra', default_branch: 'main' },
});

function expectNoSecrets(...texts: string[]) {
  for (const text of texts) for (const s of SECRETS) expect(text).not.toContain(s);
}

describe('the bundled Action', { timeout: 90_000 }, () => {
  let actionDir: string;
  const gh = new FakeGitHub();
  const aws = new FakeAws();
  const kube = new FakeKubeServer();
  const google = new FakeGoogle();
  const repo = new TempRepo();
  const runnerTemp = mkdtempSync(join(tmpdir(), 'beta9-runner-'));
  let c0: string, c1: string;

  const run = (
    eventName: string,
    payload: unknown,
    sha: string,
    inputs: Record<string, string>,
    env: Record<string, string> = {},
  ) =>
    runAction({
      actionDir,
      repo,
      runnerTemp,
      githubUrl: gh.url,
      awsUrl: aws.url,
      eventName,
      payload,
      sha,
      inputs,
      env,
    });

  function githubBodies(): string {
    return gh.requests.map((r) => r.body).join('\n');
  }

  beforeAll(async () => {
    [actionDir] = await Promise.all([
      buildActionDir(),
      gh.start(),
      aws.start(),
      kube.start(),
      google.start(),
    ]);
    aws.kubeUrl = kube.url;
    repo.write('environments/prod.yaml', PROD);
    c0 = repo.commit('prod');
    repo.write('environments/ml-staging.yaml', STAGING);
    c1 = repo.commit('add ml-staging');
  }, 60_000);

  afterAll(() => {
    gh.stop();
    aws.stop();
    kube.stop();
    google.stop();
  });

  let validateRun: RunResult;
  it('validates the pull request and opens the sticky comment with the environments to plan', async () => {
    validateRun = await run('pull_request', prPayload(c0, c1), c1, { command: 'validate' });
    expect(validateRun.code, validateRun.stdout).toBe(0);
    expect(JSON.parse(validateRun.outputs.environments ?? '')).toEqual(['ml-staging']);
    expect(validateRun.outputs['has-changes']).toBe('true');
    const comments = gh.comments.get(7) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('<!-- beta9-provisioner:plan -->');
    expect(comments[0]?.body).toContain('Planning');
  });

  it('plans the pull request and updates the same comment in place, never a second one', async () => {
    const first = await run('pull_request', prPayload(c0, c1), c1, {
      command: 'plan',
      environments: 'ml-staging',
    });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // validate created the comment; the plan job found it by its marker and edited it in place.
    const comments = gh.comments.get(7) ?? [];
    expect(comments).toHaveLength(1);
    expect(
      gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issues/7/comments')),
    ).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'PATCH').length).toBeGreaterThanOrEqual(1);
    const body = comments[0]?.body ?? '';
    expect(body).toContain('ml-staging');
    expect(body).toMatch(/to add/);
    expect(body).toContain('beta9-provisioner:plan-data');
    expect(body).toMatch(/Estimated cost:\*\* \+\$/);
    expect(body).not.toContain('Planning');
    expect(first.outputs['has-changes']).toBe('true');
    expect(first.summary).toContain('ml-staging');
    // OIDC -> web identity into the base role -> chained AssumeRole into the file's role with its external id.
    const [web, chained] = aws.sts;
    expect(web).toMatchObject({
      Action: 'AssumeRoleWithWebIdentity',
      RoleArn: 'arn:aws:iam::123456789012:role/GitHubActions',
      DurationSeconds: '3600',
    });
    expect(chained).toMatchObject({
      Action: 'AssumeRole',
      RoleArn: 'arn:aws:iam::123456789012:role/Beta9Provisioner',
      ExternalId: 'tenant-42',
      DurationSeconds: '3600',
    });
    // The state bucket exists, versioned, encrypted, private and TLS-only.
    expect([...(aws.buckets.get('beta9-tf-state-123456789012-us-east-1') ?? [])].sort()).toEqual([
      'encryption',
      'policy',
      'publicAccessBlock',
      'versioning',
    ]);
    const planDir = join(first.outputs['report-directory'] ?? '', 'ml-staging');
    expect(readdirSync(planDir).sort()).toEqual(['plan-summary.json', 'plan.json', 'plan.tfplan']);
    expectNoSecrets(visibleLog(first.stdout), first.stderr, first.summary, githubBodies());
    if (process.env.DUMP) console.log(body, '\n-----\n', first.stdout);
  });

  it('on a fork pull request validates only, says so, and touches neither GitHub nor a cloud', async () => {
    const before = { gh: gh.requests.length, aws: aws.requests.length };
    const result = await run('pull_request', prPayload(c0, c1, 'mallory/infra'), c1, {});
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('validated only');
    expect(result.summary).toContain('fork');
    expect(result.summary).toContain('validated only');
    expect(gh.requests.length).toBe(before.gh);
    expect(aws.requests.length).toBe(before.aws);
  });

  it('annotates every problem of an invalid environment file at its line and column', async () => {
    repo.write('environments/broken.yaml', 'version: 1\nname: broken\nclod:\n  provider: aws\n');
    const bad = repo.commit('broken file');
    try {
      const result = await run(
        'pull_request',
        { ...prPayload(c1, bad), pull_request: { ...prPayload(c1, bad).pull_request, number: 9 } },
        bad,
        { command: 'validate' },
      );
      expect(result.code).not.toBe(0);
      // Every problem at once, each at its own position.
      expect(result.stdout).toMatch(
        /::error title=beta9 environment file,file=environments\/broken.yaml,line=1,.*::missing required key "cloud"/,
      );
      expect(result.stdout).toMatch(
        /::error title=beta9 environment file,file=environments\/broken.yaml,line=3,endLine=3,col=1,.*::unknown key "clod"; did you mean "cloud"\?/,
      );
      expect(result.summary).toMatch(/broken.*2 problem/);
      expect(gh.comments.get(9)?.[0]?.body).toContain('environments/broken.yaml:3:1');
    } finally {
      repo.git('reset', '-q', '--hard', c1);
    }
  });

  it('plans a GCP environment through workload identity federation and a GCS state bucket', async () => {
    repo.write('environments/gpu-research.yaml', GPU_RESEARCH);
    const head = repo.commit('gcp environment');
    const provider = 'projects/123456789/locations/global/workloadIdentityPools/github/providers/github';
    try {
      const pr = {
        ...prPayload(c1, head),
        pull_request: { ...prPayload(c1, head).pull_request, number: 10 },
      };
      const result = await run(
        'pull_request',
        pr,
        head,
        { command: 'plan', environments: 'gpu-research', 'gcp-workload-identity-provider': provider },
        {
          BETA9_GCP_STS_URL: `${google.url}/v1/token`,
          BETA9_GCP_IAM_CREDENTIALS_URL: google.url,
          BETA9_GCP_STORAGE_URL: google.url,
        },
      );
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const exchange = new URLSearchParams(google.requests.find((r) => r.path === '/v1/token')?.body);
      expect(exchange.get('audience')).toBe(`//iam.googleapis.com/${provider}`);
      expect(
        google.requests.some((r) =>
          r.path.includes(
            'beta9-provisioner%40acme-gpu-research.iam.gserviceaccount.com:generateAccessToken',
          ),
        ),
      ).toBe(true);
      expect(google.buckets.get('beta9-tf-state-acme-gpu-research')).toMatchObject({
        versioning: { enabled: true },
        iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
      });
      expect(gh.comments.get(10)?.[0]?.body).toMatch(/google_container_cluster/);
      expectNoSecrets(visibleLog(result.stdout), result.stderr, result.summary, githubBodies());
    } finally {
      repo.git('reset', '-q', '--hard', c1);
    }
  });

  let applyRun: RunResult;
  it('applies on merge: a deployment with its statuses in order, bootstrap, and the run report', async () => {
    gh.pullsForCommit = [7];
    applyRun = await run('push', pushPayload(c0, c1), c1, { command: 'apply', environments: 'ml-staging' });
    expect(applyRun.code, applyRun.stdout + applyRun.stderr).toBe(0);
    const [deployment] = gh.deployments;
    expect(deployment).toMatchObject({
      environment: 'ml-staging',
      ref: c1,
      payload: { beta9: { environment: 'ml-staging', operation: 'apply' } },
    });
    expect(gh.statusesOf('ml-staging')).toEqual([
      'queued: queued',
      'in_progress: provisioning',
      'in_progress: bootstrapping',
      'success: ready',
    ]);
    expect(
      gh.statuses.every((s) => s.log_url === 'https://github.example/acme/infra/actions/runs/4242'),
    ).toBe(true);

    const check = gh.checkRuns.find((c) => c.name === 'beta9 / report / ml-staging');
    expect(check).toMatchObject({ head_sha: c1, conclusion: 'success' });
    const report = JSON.parse(check?.output.text ?? '{}');
    expect(report).toMatchObject({
      version: 1,
      environment: 'ml-staging',
      operation: 'apply',
      status: 'ready',
      commit: c1,
    });
    expect(report.counts.create).toBeGreaterThan(0);
    expect(report.outputs.cluster_name).toBe('ml-staging');
    expect(Object.keys(report.timings)).toEqual(
      expect.arrayContaining(['synth', 'init', 'plan', 'apply', 'bootstrap']),
    );
    const file = join(applyRun.outputs['report-directory'] ?? '', 'ml-staging.report.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(report);

    // Bootstrap: the connection Secrets exist in the cluster, and the charts are installed.
    expect(kube.kube.secretData('beta9', 'beta9-database')?.password).toBe(DB_PASSWORD);
    const helm = JSON.parse(readFileSync(join(runnerTemp, 'helm-state.json'), 'utf8')) as {
      releases: Record<string, unknown>;
    };
    expect(Object.keys(helm.releases).join(' ')).toMatch(/cert-manager/);
    expect(Object.keys(helm.releases).join(' ')).toMatch(/beta9/);
    expect(applyRun.summary).toContain('ready');
    expect(applyRun.summary).toMatch(/\| `cluster_name` \| ml-staging \|/);
    expectNoSecrets(
      visibleLog(applyRun.stdout),
      applyRun.stderr,
      applyRun.summary,
      githubBodies(),
      readFileSync(file, 'utf8'),
    );
  });

  it('re-running the apply converges (with OpenTofu this time): nothing to change, bootstrap again, ready', async () => {
    const again = await run('push', pushPayload(c0, c1), c1, {
      command: 'apply',
      environments: 'ml-staging',
      'terraform-binary': 'tofu',
    });
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('no changes; nothing to apply');
    expect(again.stdout).toContain('::group::ml-staging: tofu plan');
    expect(gh.deployments).toHaveLength(2);
    const second = gh.statuses
      .filter((s) => s.deployment === gh.deployments[1]?.id)
      .map((s) => s.description);
    expect(second).toEqual(['queued', 'provisioning', 'bootstrapping', 'ready']);
  });

  it('reruns only the bootstrap with the bootstrap command', async () => {
    const result = await run('workflow_dispatch', pushPayload(c0, c1), c1, {
      command: 'bootstrap',
      environments: 'ml-staging',
    });
    expect(result.code, result.stdout).toBe(0);
    const last = gh.deployments.at(-1);
    expect(gh.statuses.filter((s) => s.deployment === last?.id).map((s) => s.description)).toEqual([
      'queued',
      'bootstrapping',
      'ready',
    ]);
    expect(result.stdout).not.toContain('terraform apply');
  });

  it('reports a failed apply as failed with a reason, and a re-run converges to ready', async () => {
    repo.write('environments/ml-staging.yaml', RESIZED);
    const c2 = repo.commit('bigger database');
    const failed = await run(
      'push',
      pushPayload(c1, c2),
      c2,
      { command: 'apply' },
      { BETA9_TF_DOUBLE_FAIL: 'apply:quota' },
    );
    if (process.env.DUMP) console.log(failed.stdout);
    expect(failed.code).not.toBe(0);
    const id = gh.deployments.at(-1)?.id;
    const statuses = gh.statuses.filter((s) => s.deployment === id);
    expect(statuses.map((s) => s.state)).toEqual(['queued', 'in_progress', 'failure']);
    expect(statuses.at(-1)?.description).toMatch(/^failed: .+/);
    expect(failed.stdout).toMatch(/::error title=beta9 apply%3A ml-staging.*::ml-staging: apply failed/);
    const check = gh.checkRuns.filter((c) => c.name === 'beta9 / report / ml-staging').at(-1);
    expect(check?.conclusion).toBe('failure');
    expect(JSON.parse(check?.output.text ?? '{}').error.message).toBeTruthy();
    expect(JSON.parse(failed.outputs['failed-environments'] ?? '[]')).toEqual(['ml-staging']);

    const retry = await run('push', pushPayload(c1, c2), c2, { command: 'apply' });
    expect(retry.code, retry.stdout).toBe(0);
    const retryId = gh.deployments.at(-1)?.id;
    expect(gh.statuses.filter((s) => s.deployment === retryId).at(-1)?.description).toBe('ready');
    c1 = c2;
  });

  it('stops before apply when the plan replaces a stateful resource no reviewed plan showed', async () => {
    gh.pullsForCommit = [];
    repo.write('environments/ml-staging.yaml', RESIZED.replace('10.20.0.0/16', '10.30.0.0/16'));
    const c3 = repo.commit('new cidr');
    const result = await run('push', pushPayload(c1, c3), c3, { command: 'apply', bootstrap: 'false' });
    expect(result.code).not.toBe(0);
    const id = gh.deployments.at(-1)?.id;
    const last = gh.statuses.filter((s) => s.deployment === id).at(-1);
    expect(last?.description).toMatch(
      /^failed: the plan now deletes or replaces stateful resources .*aws_vpc/,
    );
    expect(result.stdout).not.toContain('::group::ml-staging: terraform apply');
    // Put the file back so the drift and destroy steps below start from the applied state.
    repo.write('environments/ml-staging.yaml', RESIZED);
    c1 = repo.commit('revert cidr');
  });

  it('checks drift of every environment and reports it per environment', async () => {
    // Someone resizes the database in the console: the state now differs from the file.
    const statePath = join(runnerTemp, 'beta9-provisioner/work/ml-staging/terraform.tfstate');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as {
      resources: Array<{ type: string; instances: Array<{ attributes: Record<string, unknown> }> }>;
    };
    const db = state.resources.find((r) => r.type === 'aws_db_instance');
    expect(db).toBeDefined();
    db!.instances[0]!.attributes.instance_class = 'db.t4g.micro';
    writeFileSync(statePath, JSON.stringify(state));

    const result = await run('schedule', { repository: { default_branch: 'main' } }, c1, {
      command: 'drift',
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.summary).toMatch(/ml-staging.*drift/);
    // prod was never applied: its plan is only creates, which is pending, not drift.
    expect(result.summary).toMatch(/prod.*not applied yet/);
    expect(result.outputs['has-changes']).toBe('true');
    expect(result.stdout).toMatch(/::warning title=beta9 drift%3A ml-staging/);
    const checks = gh.checkRuns.filter((c) => c.name.startsWith('beta9 / drift / '));
    expect(checks.map((c) => c.name).sort()).toEqual(['beta9 / drift / ml-staging', 'beta9 / drift / prod']);
    const dir = result.outputs['report-directory'] ?? '';
    expect(JSON.parse(readFileSync(join(dir, 'ml-staging.drift.json'), 'utf8')).drift.detected).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'prod.drift.json'), 'utf8')).drift.detected).toBe(false);
    // Drift is a flag, not a status: no deployment was created for it.
    expect(gh.deployments.filter((d) => d.environment === 'prod')).toEqual([]);
  });

  it('blocks destroying an environment whose last version kept deletion protection, and explains the two steps', async () => {
    repo.remove('environments/prod.yaml');
    const c4 = repo.commit('remove prod');
    const pr = await run(
      'pull_request',
      { ...prPayload(c1, c4), pull_request: { ...prPayload(c1, c4).pull_request, number: 8 } },
      c4,
      { command: 'validate' },
    );
    expect(pr.code).not.toBe(0);
    expect(pr.stdout).toMatch(/::error .*file=environments\/prod.yaml.*deletion_protection: true/);
    expect(pr.summary).toContain('two steps');
    const destroyed = await run('push', pushPayload(c1, c4), c4, { command: 'destroy' });
    expect(destroyed.code).not.toBe(0);
    const id = gh.deployments.at(-1)?.id;
    expect(gh.deployments.at(-1)).toMatchObject({
      environment: 'prod',
      payload: { beta9: { environment: 'prod', operation: 'destroy' } },
    });
    const statuses = gh.statuses.filter((s) => s.deployment === id).map((s) => s.description);
    expect(statuses[0]).toBe('destroy_queued');
    expect(statuses.at(-1)).toMatch(/^failed: Removing environments\/prod.yaml would destroy/);
    expect(destroyed.stdout).not.toContain('::group::prod: terraform apply');
    c1 = c4;
  });

  it('destroys an environment whose last version had deletion_protection: false', async () => {
    repo.remove('environments/ml-staging.yaml');
    const c5 = repo.commit('remove ml-staging');
    const result = await run('push', pushPayload(c1, c5), c5, { command: 'destroy' });
    expect(result.code, result.stdout).toBe(0);
    const id = gh.deployments.at(-1)?.id;
    expect(gh.statuses.filter((s) => s.deployment === id).map((s) => `${s.state}: ${s.description}`)).toEqual(
      ['queued: destroy_queued', 'in_progress: destroying', 'success: destroyed'],
    );
    const report = JSON.parse(gh.checkRuns.at(-1)?.output.text ?? '{}');
    expect(report).toMatchObject({ environment: 'ml-staging', operation: 'destroy', status: 'destroyed' });
    expect(report.counts.delete).toBeGreaterThan(0);
    expect(existsSync(join(result.outputs['report-directory'] ?? '', 'ml-staging.report.json'))).toBe(true);
    expectNoSecrets(visibleLog(result.stdout), githubBodies());
  });
});

/**
 * Secrets (issue 8): known secret strings are planted where real ones turn up — a sensitive
 * Terraform output, an output whose name says it is a password, a provider error that echoes a
 * password, an access key id, a private key and the runner's own session credentials — and none
 * of them may reach a comment, a check run, a deployment status, a log line, the API or the index.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_ACCESS_KEY, SESSION_TOKEN, DB_PASSWORD } from '../action/fake-cloud.js';
import { visibleLog } from '../action/harness.js';
import { ROOT } from './harness.js';
import { World } from './world.js';

const NAME = 'secret-env';
const FILE = `environments/${NAME}.yaml`;
const TEXT = readFileSync(join(ROOT, 'environments/ml-staging.yaml'), 'utf8').replaceAll('ml-staging', NAME);

const PLANTED = {
  sensitiveOutput: 'planted-sensitive-output-7f3a9c51',
  passwordOutput: 'PlantedPassw0rd-b81e77aa',
  errorPassword: 'PlantedErrPass-55aa0c2d',
  accessKeyId: 'AKIAPLANTEDKEY123456',
  privateKey: 'MIIEpAIBAAKCAQEAplantedPrivateKeyMaterial0123456789',
};

const EXTRA_OUTPUTS = JSON.stringify({
  admin_token: { value: PLANTED.sensitiveOutput, sensitive: true },
  admin_password: { value: PLANTED.passwordOutput, sensitive: false },
});
const ERROR_DETAIL = [
  `request: CreateDBInstance MasterUserPassword=${PLANTED.errorPassword} AccessKeyId=${PLANTED.accessKeyId}`,
  '-----BEGIN RSA PRIVATE KEY-----',
  PLANTED.privateKey,
  '-----END RSA PRIVATE KEY-----',
  `debug: signing with secret ${SECRET_ACCESS_KEY} and token ${SESSION_TOKEN}`,
].join('\n');

const SECRETS = [...Object.values(PLANTED), SECRET_ACCESS_KEY, SESSION_TOKEN, DB_PASSWORD];

function leaks(where: string, text: string): string[] {
  return SECRETS.filter((s) => text.includes(s)).map((s) => `${where}: ${s}`);
}

describe('planted secrets never leave the runner', () => {
  const world = new World();

  beforeAll(() => world.start(), 120_000);
  afterAll(() => world.stop());

  it('plans, applies and fails with planted secrets, and none of them is published anywhere', async () => {
    const env = { BETA9_TF_DOUBLE_EXTRA_OUTPUTS: EXTRA_OUTPUTS };
    const pr = await world.openPullRequest(() => world.repo.write(FILE, TEXT));
    await world.validateCheck(world.github.resolve(pr.head));
    const plan = await world.planPullRequest(pr, env);
    expect(plan.code, plan.stdout).toBe(0);
    expect((await world.comment(pr.number, 'plan')).body).toContain('admin_token');

    const applied = await world.mergeAndApply(pr, env);
    expect(applied.code, applied.stdout).toBe(0);
    const ready = await world.waitForStatus(NAME, 'ready');
    // Sensitive outputs are dropped, not shown masked; the rest are there.
    expect(ready.outputs).toHaveProperty('cluster_name', NAME);
    expect(ready.outputs).not.toHaveProperty('admin_token');

    const edit = await world.openPullRequest(() =>
      world.repo.write(FILE, TEXT.replace('database:\n  size: small', 'database:\n  size: medium')),
    );
    const failed = await world.mergeAndApply(edit, {
      ...env,
      BETA9_TF_DOUBLE_FAIL: 'apply:quota',
      BETA9_TF_DOUBLE_FAIL_DETAIL: ERROR_DETAIL,
    });
    expect(failed.code).not.toBe(0);
    const view = await world.waitForStatus(NAME, 'failed');
    expect(view.error_message).toBeTruthy();

    const found: string[] = [];
    const { recorded } = world.github;
    for (const c of recorded.comments) found.push(...leaks(`comment ${c.id}`, c.body));
    for (const c of recorded.checkRuns) found.push(...leaks(`check run ${c.name}`, JSON.stringify(c)));
    for (const s of recorded.statuses) found.push(...leaks('deployment status', JSON.stringify(s)));
    for (const d of recorded.deployments) found.push(...leaks('deployment', JSON.stringify(d)));
    for (const run of world.runs) {
      // `::add-mask::` lines are how the runner learns what to hide; everything else is published.
      found.push(...leaks('action log', visibleLog(run.stdout)), ...leaks('action stderr', run.stderr));
      found.push(...leaks('job summary', run.summary));
      const dir = run.outputs['report-directory'];
      if (dir) {
        for (const entry of readdirSync(dir, { recursive: true })) {
          const path = join(dir, String(entry));
          if (/\.(json|md)$/.test(path) && !path.endsWith('plan.json'))
            found.push(...leaks(`artifact ${entry}`, readFileSync(path, 'utf8')));
        }
      }
    }
    found.push(...leaks('server log', world.server.logs()));
    for (const path of [
      `/api/v1/environments/${NAME}`,
      `/api/v1/environments/${NAME}/events`,
      '/api/v1/environments',
      '/',
      '/metrics',
    ]) {
      const response = await fetch(`${world.server.url}${path}`);
      found.push(...leaks(`GET ${path}`, await response.text()));
    }
    for (const file of readdirSync(world.work).filter((f) => f.startsWith('index.db'))) {
      found.push(...leaks(`index file ${file}`, readFileSync(join(world.work, file)).toString('latin1')));
    }
    expect(found).toEqual([]);
  });
});

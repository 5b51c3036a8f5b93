import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizePlan } from '../../../src/engine/plan/index.js';
import {
  createTerraformRunner,
  publicOutputs,
  recoverStaleLock,
  type Exec,
  type FailureClass,
  type TerraformFailure,
} from '../../../src/engine/terraform/index.js';
import { S3_BACKEND, TOFU, awsStack, gcpStack, runnerFor, workdir, writeStack } from './helpers.js';

function failureOf(r: { ok: boolean; failure?: TerraformFailure }): TerraformFailure {
  expect(r.ok).toBe(false);
  return r.failure as TerraformFailure;
}

describe('runner against the Terraform double: the whole lifecycle', () => {
  it('inits, plans, shows, applies, reads outputs, re-plans clean and destroys', async () => {
    const dir = workdir();
    const { runner, lines } = runnerFor(dir);

    const init = await runner.init({ backend: S3_BACKEND });
    expect(init.ok).toBe(true);
    const backend = JSON.parse(readFileSync(join(dir, '.terraform/terraform.tfstate'), 'utf8'));
    expect(backend.backend).toMatchObject({
      type: 's3',
      config: { bucket: S3_BACKEND.bucket, key: S3_BACKEND.key, use_lockfile: 'true', encrypt: 'true' },
    });

    const plan = await runner.plan({ out: 'tfplan' });
    expect(plan).toMatchObject({ ok: true, exitCode: 2, hasChanges: true, planFile: 'tfplan' });
    const show = await runner.show('tfplan');
    if (!show.ok) throw new Error(show.failure.message);
    const summary = summarizePlan(show.plan);
    expect(summary.counts).toEqual({ create: 5, update: 0, delete: 0, replace: 0, read: 0, no_op: 0 });
    expect(summary.outputs.find((o) => o.name === 'rds_master_user_secret_arn')?.sensitive).toBe(true);

    expect((await runner.apply('tfplan')).ok).toBe(true);
    const out = await runner.output();
    if (!out.ok) throw new Error(out.failure.message);
    expect(out.outputs.vpc_id?.value).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(out.outputs.rds_endpoint?.value).toMatch(
      /^beta9-demo\.[0-9a-f]{12}\.us-east-1\.rds\.amazonaws\.com$/,
    );
    expect(out.outputs.bucket_arn?.value).toBe('arn:aws:s3:::beta9-demo-123456789012');
    expect(out.outputs.rds_master_user_secret_arn).toMatchObject({ sensitive: true });
    expect(publicOutputs(out.outputs)).not.toHaveProperty('rds_master_user_secret_arn');

    const again = await runner.plan({ out: 'tfplan' });
    expect(again).toMatchObject({ ok: true, exitCode: 0, hasChanges: false });

    expect((await runner.destroy()).ok).toBe(true);
    const after = await runner.output();
    expect(after.ok && Object.keys(after.outputs)).toEqual([]);

    // Streamed lines carry timestamps, the operation, and the machine-readable level and type.
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) expect(Number.isNaN(Date.parse(l.time))).toBe(false);
    expect(lines).toContainEqual(
      expect.objectContaining({
        operation: 'plan',
        type: 'planned_change',
        text: 'aws_vpc.main: Plan to create',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        operation: 'apply',
        type: 'change_summary',
        text: 'Apply complete! Resources: 5 added, 0 changed, 0 destroyed.',
      }),
    );
  });

  it('plans a replacement when a ForceNew attribute changes, and an update otherwise', async () => {
    const dir = workdir();
    const { runner } = runnerFor(dir);
    await runner.init({ backend: S3_BACKEND });
    await runner.plan({ out: 'p' });
    await runner.apply('p');
    writeStack(dir, awsStack({ engine: 'mysql', instanceClass: 'db.r6g.large' }));
    await runner.plan({ out: 'p' });
    const show = await runner.show('p');
    if (!show.ok) throw new Error(show.failure.message);
    const s = summarizePlan(show.plan);
    expect(s.counts.replace).toBe(1);
    expect(s.destructive.map((r) => r.address)).toEqual(['aws_db_instance.main']);
    expect(s.destructive[0]?.changes.find((c) => c.path === 'engine')?.forcesReplacement).toBe(true);
    writeStack(dir, awsStack({ instanceClass: 'db.r6g.large' }));
    await runner.plan({ out: 'p' });
    const upd = await runner.show('p');
    if (!upd.ok) throw new Error(upd.failure.message);
    expect(summarizePlan(upd.plan).counts).toMatchObject({ update: 1, replace: 0 });
  });

  it('works as tofu too', async () => {
    const dir = workdir();
    const runner = createTerraformRunner({ binary: TOFU, cwd: dir, env: { PATH: process.env.PATH } });
    const v = await runner.version();
    expect(v).toMatchObject({ ok: true, version: '1.9.1' });
    expect((await runner.init({ backend: S3_BACKEND })).ok).toBe(true);
    expect(await runner.plan({ out: 'tfplan' })).toMatchObject({ ok: true, hasChanges: true });
  });
});

describe('failure classes, from the text real Terraform prints', () => {
  const cases: Array<[string, string, FailureClass, boolean, RegExp]> = [
    [
      'plan:lock',
      'aws',
      'lock_held',
      false,
      /locked by another operation\. Held by runner@fv-az512-774 for apply since 20\d\d-/,
    ],
    ['plan:auth', 'aws', 'credentials', false, /ExpiredToken/],
    ['plan:auth', 'gcp', 'credentials', false, /could not find default credentials/],
    ['apply:quota', 'aws', 'quota', false, /AddressLimitExceeded/],
    ['apply:quota', 'gcp', 'quota', false, /Quota 'NETWORKS' exceeded/],
    ['init:network', 'aws', 'network', true, /Failed to query available provider packages/],
    ['plan:network', 'aws', 'network', true, /ServiceUnavailableException/],
    ['plan:network', 'gcp', 'network', true, /connection reset by peer/],
    ['plan:config', 'aws', 'config', false, /Unsupported argument: on cdk\.tf\.json line 14/],
  ];

  it.each(cases)('%s (%s) -> %s', async (fail, cloud, cls, retryable, message) => {
    const dir = workdir(cloud === 'gcp' ? gcpStack() : awsStack());
    const { runner } = runnerFor(dir);
    const [op] = fail.split(':');
    const backend =
      cloud === 'gcp'
        ? { type: 'gcs' as const, bucket: 'beta9-tf-state-p', prefix: 'environments/demo' }
        : S3_BACKEND;
    if (op !== 'init') expect((await runner.init({ backend })).ok).toBe(true);
    if (op === 'apply') expect((await runner.plan({ out: 'p' })).ok).toBe(true);
    const failing = runnerFor(dir, { BETA9_TF_DOUBLE_FAIL: fail }).runner;
    const r =
      op === 'init'
        ? await failing.init({ backend })
        : op === 'plan'
          ? await failing.plan({ out: 'p' })
          : await failing.apply('p');
    const f = failureOf(r);
    expect(f.class).toBe(cls);
    expect(f.retryable).toBe(retryable);
    expect(f.operation).toBe(op);
    expect(f.message).toMatch(message);
    expect(f.nextStep.length).toBeGreaterThan(20);
    expect(f.exitCode).toBe(1);
    if (cls === 'lock_held') {
      expect(f.lock).toMatchObject({
        id: 'f3c2b9a8-6d1e-4c7b-9a0f-5e4d3c2b1a09',
        who: 'runner@fv-az512-774',
        operation: 'OperationTypeApply',
      });
      expect(Date.parse(f.lock?.createdAt ?? '')).toBeGreaterThan(Date.now() - 10 * 60_000);
      expect(f.nextStep).toContain('force-unlock f3c2b9a8-6d1e-4c7b-9a0f-5e4d3c2b1a09');
    }
  });

  it('a wrong backend setting and a missing init are configuration errors', async () => {
    const dir = workdir();
    const { runner } = runnerFor(dir);
    const bad = failureOf(
      await runner.init({ backendConfig: { bucket: 'b', key: 'k', region: 'r', dynamodb_tabel: 'x' } }),
    );
    expect(bad).toMatchObject({ class: 'config', operation: 'init' });
    expect(bad.message).toContain('"dynamodb_tabel" given on the command line is not expected');
    const noInit = failureOf(await runnerFor(workdir()).runner.plan({ out: 'p' }));
    expect(noInit.class).toBe('config');
    expect(noInit.message).toContain('Backend initialization required');
  });

  it('a missing binary says how to install one', async () => {
    const runner = createTerraformRunner({
      binary: 'terraform-that-does-not-exist',
      cwd: workdir(),
      env: { PATH: '/nonexistent' },
    });
    const f = failureOf(await runner.version());
    expect(f.class).toBe('config');
    expect(f.message).toContain('`terraform-that-does-not-exist` was not found on PATH');
    expect(f.nextStep).toContain('setup-terraform');
  });
});

describe('state locks and timeouts', () => {
  it('reports a lock held by another runner, and recovers it only when stale', async () => {
    const dir = workdir();
    const { runner } = runnerFor(dir);
    await runner.init({ backend: S3_BACKEND });
    const held = runnerFor(dir, { BETA9_TF_DOUBLE_HOLD_LOCK: '2h' }).runner;
    const f = failureOf(await held.plan({ out: 'p' }));
    expect(f.class).toBe('lock_held');
    expect(f.lock?.who).toBe('runner@other-host');
    const lock = f.lock!;

    const log: string[] = [];
    const young = await recoverStaleLock(runner, lock, { maxAgeMs: 3 * 3_600_000, log: (m) => log.push(m) });
    expect(young).toMatchObject({ action: 'kept' });
    expect(log[0]).toMatch(/Kept state lock .* younger than the 3 h 0 min stale threshold/);
    expect(failureOf(await runner.plan({ out: 'p' })).class).toBe('lock_held');

    const old = await recoverStaleLock(runner, lock, { log: (m) => log.push(m) });
    expect(old).toMatchObject({ action: 'unlocked', lockId: lock.id });
    expect(log.some((m) => m.startsWith(`Force-unlocking state lock ${lock.id}`))).toBe(true);
    expect((await runner.plan({ out: 'p' })).ok).toBe(true);

    const gone = await recoverStaleLock(runner, lock, { log: (m) => log.push(m) });
    expect(gone.action).toBe('failed');
    expect(gone.message).toContain('state is not locked');
  });

  it('keeps a lock whose age cannot be read', async () => {
    const { runner } = runnerFor(workdir());
    const r = await recoverStaleLock(runner, { id: 'abc', created: 'yesterday-ish' });
    expect(r.action).toBe('kept');
    expect(r.message).toContain('cannot be read');
  });

  it('stops an operation that runs too long (SIGTERM lets Terraform release the lock)', async () => {
    const dir = workdir();
    const { runner } = runnerFor(dir);
    await runner.init({ backend: S3_BACKEND });
    const slow = runnerFor(
      dir,
      { BETA9_TF_DOUBLE_SLEEP_MS: 'plan:20000' },
      { timeoutMs: 400, killGraceMs: 5000 },
    ).runner;
    const f = failureOf(await slow.plan({ out: 'p' }));
    expect(f.class).toBe('timeout');
    expect(f.message).toBe('terraform plan did not finish within its time limit (400 ms) and was stopped.');
    expect(existsSync(join(dir, '.terraform.tfstate.lock.info'))).toBe(false);
    expect((await runner.plan({ out: 'p' })).ok).toBe(true);
  });

  it('kills a process that ignores SIGTERM; the lock it leaves behind is then stale-recoverable', async () => {
    const dir = workdir();
    const { runner } = runnerFor(dir);
    await runner.init({ backend: S3_BACKEND });
    const stuck = runnerFor(
      dir,
      { BETA9_TF_DOUBLE_SLEEP_MS: 'plan:20000', BETA9_TF_DOUBLE_IGNORE_SIGTERM: '1' },
      // Long enough for the double to start and take the lock even on a loaded machine.
      { timeoutMs: { plan: 2000 }, killGraceMs: 300 },
    ).runner;
    const started = Date.now();
    expect(failureOf(await stuck.plan({ out: 'p' })).class).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
    const f = failureOf(await runner.plan({ out: 'p' }));
    expect(f.class).toBe('lock_held');
    const later = () => new Date(Date.now() + 2 * 3_600_000);
    expect((await recoverStaleLock(runner, f.lock!, { now: later })).action).toBe('unlocked');
    expect((await runner.plan({ out: 'p' })).ok).toBe(true);
  });
});

describe('runner with an injected exec', () => {
  it('passes the documented arguments and falls back when init has no -json', async () => {
    const calls: string[][] = [];
    const exec: Exec = async (_cmd, args, opts) => {
      calls.push(args);
      expect(opts.env.TF_IN_AUTOMATION).toBe('1');
      if (args[0] === 'init' && args.includes('-json')) {
        return {
          exitCode: 1,
          signal: null,
          timedOut: false,
          stdout: '',
          stderr: 'flag provided but not defined: -json\n',
        };
      }
      if (args[0] === 'plan') return { exitCode: 2, signal: null, timedOut: false, stdout: '', stderr: '' };
      return { exitCode: 0, signal: null, timedOut: false, stdout: '', stderr: '' };
    };
    const runner = createTerraformRunner({ binary: 'tofu', cwd: '/tmp', exec });
    expect(
      (await runner.init({ backend: { type: 'gcs', bucket: 'beta9-tf-state-p', prefix: 'environments/x' } }))
        .ok,
    ).toBe(true);
    expect(await runner.plan({ out: 'tfplan', destroy: true, lockTimeout: '60s' })).toMatchObject({
      ok: true,
      exitCode: 2,
    });
    await runner.apply('tfplan');
    await runner.destroy();
    await runner.forceUnlock('1234-abcd');
    expect(calls).toEqual([
      [
        'init',
        '-input=false',
        '-backend-config=bucket=beta9-tf-state-p',
        '-backend-config=prefix=environments/x',
        '-json',
      ],
      [
        'init',
        '-input=false',
        '-backend-config=bucket=beta9-tf-state-p',
        '-backend-config=prefix=environments/x',
      ],
      ['plan', '-input=false', '-json', '-detailed-exitcode', '-out=tfplan', '-destroy', '-lock-timeout=60s'],
      ['apply', '-input=false', '-json', '-auto-approve', 'tfplan'],
      ['destroy', '-input=false', '-json', '-auto-approve'],
      ['force-unlock', '-force', '1234-abcd'],
    ]);
  });

  it('refuses a lock ID that is not one', async () => {
    const runner = createTerraformRunner({
      cwd: '/tmp',
      exec: async () => {
        throw new Error('must not run');
      },
    });
    const f = failureOf(await runner.forceUnlock('$(rm -rf /)'));
    expect(f.message).toContain('is not a lock ID');
  });

  it('redacts secrets in streamed lines and failure messages', async () => {
    const lines: string[] = [];
    const exec: Exec = async (_c, _a, opts) => {
      const out = `${JSON.stringify({ '@level': 'error', '@message': 'Error: boom', type: 'diagnostic', diagnostic: { severity: 'error', summary: 'AccessDenied for AKIAABCDEFGHIJKLMNOP', detail: 'password=hunter2222' } })}\n`;
      opts.onStdout?.(out);
      return { exitCode: 1, signal: null, timedOut: false, stdout: out, stderr: '' };
    };
    const runner = createTerraformRunner({ cwd: '/tmp', exec, onLine: (l) => lines.push(l.text) });
    const f = failureOf(await runner.plan({ out: 'p' }));
    expect(f.class).toBe('credentials');
    expect(JSON.stringify(f)).not.toMatch(/AKIAABCDEFGHIJKLMNOP|hunter2222/);
    expect(lines).toEqual(['Error: boom']);
  });
});

describe('cancellation', () => {
  it('stops a running operation when the signal aborts', async () => {
    const dir = workdir();
    const { runner } = runnerFor(dir);
    await runner.init({ backend: S3_BACKEND });
    const controller = new AbortController();
    const slow = runnerFor(
      dir,
      { BETA9_TF_DOUBLE_SLEEP_MS: 'plan:20000' },
      { signal: controller.signal },
    ).runner;
    const pending = slow.plan({ out: 'p' });
    setTimeout(() => controller.abort(), 300);
    const f = failureOf(await pending);
    expect(f.class).toBe('cancelled');
    expect(f.nextStep).toContain('state lock left behind');
    // The double released its lock on SIGTERM, like Terraform.
    expect((await runner.plan({ out: 'p' })).ok).toBe(true);
  });
});

describe('saved plans', () => {
  it('plans a destroy (-destroy) and applies it', async () => {
    const dir = workdir();
    const { runner } = runnerFor(dir);
    await runner.init({ backend: S3_BACKEND });
    await runner.plan({ out: 'p' });
    await runner.apply('p');
    expect(await runner.plan({ out: 'd', destroy: true })).toMatchObject({ ok: true, hasChanges: true });
    const show = await runner.show('d');
    if (!show.ok) throw new Error(show.failure.message);
    const s = summarizePlan(show.plan);
    expect(s.counts).toEqual({ create: 0, update: 0, delete: 5, replace: 0, read: 0, no_op: 0 });
    expect(s.destructive.map((r) => r.type).sort()).toEqual(['aws_db_instance', 'aws_s3_bucket', 'aws_vpc']);
    expect((await runner.apply('d')).ok).toBe(true);
    expect(await runner.plan({ out: 'd', destroy: true })).toMatchObject({ ok: true, hasChanges: false });
  });

  it('refuses a plan made before the state changed', async () => {
    const dir = workdir();
    const { runner } = runnerFor(dir);
    await runner.init({ backend: S3_BACKEND });
    await runner.plan({ out: 'first' });
    await runner.plan({ out: 'second' });
    expect((await runner.apply('first')).ok).toBe(true);
    const f = failureOf(await runner.apply('second'));
    expect(f).toMatchObject({ class: 'config', operation: 'apply' });
    expect(f.message).toContain('Saved plan is stale');
  });
});

describe('publicOutputs', () => {
  it('drops sensitive outputs and outputs named like secrets, keeps handles of secrets, redacts values', () => {
    const pub = publicOutputs({
      cluster_name: { value: 'demo', sensitive: false, type: 'string' },
      admin_password: { value: 'hunter2-hunter2', sensitive: false, type: 'string' },
      api_token: { value: 'tok-123456', sensitive: false, type: 'string' },
      db_url: { value: 'postgres://beta9:s3cretpw@db.internal:5432/beta9', sensitive: false, type: 'string' },
      rds_master_user_secret_arn: {
        value: 'arn:aws:secretsmanager:us-east-1:1:secret:rds',
        sensitive: false,
        type: 'string',
      },
      hidden: { value: 'x', sensitive: true, type: 'string' },
      redis_port: { value: 6379, sensitive: false, type: 'number' },
    });
    expect(Object.keys(pub).sort()).toEqual([
      'cluster_name',
      'db_url',
      'rds_master_user_secret_arn',
      'redis_port',
    ]);
    expect(String(pub.db_url)).not.toContain('s3cretpw');
    expect(pub.redis_port).toBe(6379);
  });
});

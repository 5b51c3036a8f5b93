import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecFn } from '../../../src/engine/bootstrap/exec.js';
import {
  classifyHelmError,
  createHelmRunner,
  helmDuration,
  type HelmRunnerOptions,
} from '../../../src/engine/bootstrap/helm.js';
import { Redactor } from '../../../src/engine/bootstrap/redact.js';
import { DB_PASSWORD } from './fixtures.js';

const DOUBLES = resolve(__dirname, '../../doubles/bin');
const KUBECONFIG =
  'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://kube.test\nusers:\n- name: u\n  user:\n    token: kube-token-secret\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n';

let dir: string;
let state: string;
let lines: string[];

function runner(extraEnv: Record<string, string> = {}, options: Partial<HelmRunnerOptions> = {}) {
  const redactor = new Redactor();
  redactor.add(DB_PASSWORD);
  redactor.add('kube-token-secret');
  return createHelmRunner({
    kubeconfig: async () => KUBECONFIG,
    env: {
      ...process.env,
      PATH: `${DOUBLES}:${process.env.PATH}`,
      BETA9_HELM_DOUBLE_STATE: state,
      ...extraEnv,
    },
    onLine: (l) => lines.push(l),
    redactor,
    tmpDir: dir,
    ...options,
  });
}

const install = {
  release: 'beta9',
  chart: 'oci://public.ecr.aws/n4e0e1y0/beta9-chart',
  version: '0.1.762',
  namespace: 'beta9',
  values: { config: { database: { postgres: { password: DB_PASSWORD } } } },
  atomic: true,
  wait: true,
  timeout: '10m',
  createNamespace: true,
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'helm-test-'));
  state = join(dir, 'state.json');
  lines = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createHelmRunner against the helm double', () => {
  it('runs upgrade --install --atomic --wait with a 0600 values file and returns the release', async () => {
    const helm = runner();
    const r = await helm.upgradeInstall(install);
    expect(r).toEqual({
      name: 'beta9',
      namespace: 'beta9',
      revision: 1,
      status: 'deployed',
      chart: 'beta9-chart',
      chartVersion: '0.1.762',
      appVersion: '0.1.762',
      description: 'Install complete',
    });
    const s = JSON.parse(readFileSync(state, 'utf8'));
    const argv: string[] = s.calls[0].argv;
    expect(argv.slice(0, 4)).toEqual([
      'upgrade',
      '--install',
      'beta9',
      'oci://public.ecr.aws/n4e0e1y0/beta9-chart',
    ]);
    for (const flag of ['--atomic', '--wait', '--create-namespace']) expect(argv).toContain(flag);
    expect(argv[argv.indexOf('--timeout') + 1]).toBe('10m');
    expect(argv[argv.indexOf('-o') + 1]).toBe('json');
    expect(argv[argv.indexOf('--version') + 1]).toBe('0.1.762');
    // The double refuses values files that are not 0600 and read them as YAML: the values arrived.
    expect(s.releases['beta9/beta9'].config).toEqual(install.values);
    // The kubeconfig was 0600 too: the double (like helm) warns about group/world-readable ones.
    expect(lines.filter((l) => l.includes('configuration file is'))).toEqual([]);
    // Temp files (values, kubeconfig) are gone.
    expect(readdirSync(dir).filter((f) => f.startsWith('beta9-helm-'))).toEqual([]);
  });

  it('upgrades on a second run (revision 2) and never logs secrets', async () => {
    const helm = runner();
    await helm.upgradeInstall(install);
    const r = await helm.upgradeInstall(install);
    expect(r.revision).toBe(2);
    expect(r.description).toBe('Upgrade complete');
    const status = await helm.status('beta9', 'beta9');
    expect(status?.revision).toBe(2);
    // helm's JSON holds the values (`config`): the summary must not.
    expect(JSON.stringify(status)).not.toContain(DB_PASSWORD);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l).not.toContain(DB_PASSWORD);
      expect(l).not.toContain('kube-token-secret');
    }
    expect(lines.some((l) => l.startsWith('$ helm upgrade --install beta9'))).toBe(true);
  });

  it('reports a missing release as undefined, lists and uninstalls', async () => {
    const helm = runner();
    expect(await helm.status('beta9', 'beta9')).toBeUndefined();
    await helm.upgradeInstall(install);
    await helm.upgradeInstall({
      ...install,
      release: 'cert-manager',
      namespace: 'cert-manager',
      chart: 'oci://quay.io/jetstack/charts/cert-manager',
      version: 'v1.19.1',
    });
    const all = await helm.list();
    expect(all.map((r) => r.name).sort()).toEqual(['beta9', 'cert-manager']);
    const ns = await helm.list('beta9');
    expect(ns).toEqual([
      expect.objectContaining({
        name: 'beta9',
        namespace: 'beta9',
        revision: '1',
        status: 'deployed',
        chart: 'beta9-chart-0.1.762',
      }),
    ]);
    expect(await helm.uninstall('beta9', 'beta9')).toBe(true);
    expect(await helm.uninstall('beta9', 'beta9')).toBe(false);
  });

  it('reports the version', async () => {
    expect(await runner().version()).toMatch(/^v3\.\d+\.\d+/);
  });

  it.each([
    ['timeout', 'timeout', true, /context deadline exceeded/],
    ['not_found', 'network', true, /beta9-chart:0\.1\.762: not found/],
    ['network', 'network', true, /no such host/],
    ['unreachable', 'kube_unreachable', true, /Kubernetes cluster unreachable/],
    ['locked', 'release_locked', false, /another operation/],
    ['failed', 'release_failed', false, /Deployment\.apps "gateway" is invalid/],
  ] as const)('classifies a %s failure as %s', async (doubleClass, failureClass, retryable, message) => {
    const helm = runner({ BETA9_HELM_DOUBLE_FAIL: `beta9:${doubleClass}` });
    const err = await helm.upgradeInstall(install).catch((e) => e);
    expect(err.failureClass).toBe(failureClass);
    expect(err.retryable).toBe(retryable);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/^helm upgrade --install beta9/);
    expect(err.nextStep).toBeTruthy();
    expect(readdirSync(dir).filter((f) => f.startsWith('beta9-helm-'))).toEqual([]);
  });

  it('fails only as often as told, so a re-run converges', async () => {
    const helm = runner({ BETA9_HELM_DOUBLE_FAIL: 'beta9:timeout:1' });
    await expect(helm.upgradeInstall(install)).rejects.toMatchObject({ failureClass: 'timeout' });
    await expect(helm.upgradeInstall(install)).resolves.toMatchObject({ status: 'deployed' });
  });

  it('redacts a secret that helm echoes in an error', async () => {
    const exec: ExecFn = async (_file, _args, opts) => {
      const stderr = `Error: UPGRADE FAILED: values don't meet the specifications of the schema(s): password "${DB_PASSWORD}" too long\n`;
      opts.onStderrLine?.(stderr.trimEnd());
      return { exitCode: 1, stdout: '', stderr, timedOut: false };
    };
    const err = await runner({}, { exec })
      .upgradeInstall(install)
      .catch((e) => e);
    expect(err.failureClass).toBe('release_failed');
    expect(err.message).not.toContain(DB_PASSWORD);
    expect(err.message).toContain('***');
    expect(lines.some((l) => l.includes('password "***"'))).toBe(true);
    for (const l of lines) expect(l).not.toContain(DB_PASSWORD);
  });

  it('reports a missing binary as a config failure', async () => {
    const err = await runner({}, { binary: join(dir, 'no-such-helm') })
      .version()
      .catch((e) => e);
    expect(err.failureClass).toBe('config');
    expect(err.message).toMatch(/was not found/);
  });

  it('stops a hung helm at the process deadline', async () => {
    const exec: ExecFn = async () => ({ exitCode: 143, stdout: '', stderr: '', timedOut: true });
    const err = await runner({}, { exec, timeoutMs: 1000 })
      .upgradeInstall(install)
      .catch((e) => e);
    expect(err.failureClass).toBe('timeout');
  });
});

describe('helm helpers', () => {
  it('formats timeouts as Go durations', () => {
    expect(helmDuration(600)).toBe('600s');
    expect(helmDuration('10m0s')).toBe('10m0s');
    expect(() => helmDuration('ten minutes')).toThrow(/not a Go duration/);
    expect(() => helmDuration(0)).toThrow(/positive/);
  });

  it('classifies helm 3 wording for timeouts', () => {
    expect(
      classifyHelmError('Error: release x failed: timed out waiting for the condition').failureClass,
    ).toBe('timeout');
  });
});

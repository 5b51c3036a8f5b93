/** Shared set-up of the bootstrapCluster tests (split over two files so they run in parallel). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, expect } from 'vitest';
import type { BootstrapDeps, BootstrapOptions } from '../../../src/engine/bootstrap/bootstrap.js';
import type { EksClientLike } from '../../../src/engine/bootstrap/eks.js';
import type { SecretsManagerLike } from '../../../src/engine/bootstrap/secrets.js';
import type { BootstrapOutcome, BootstrapPhase } from '../../../src/engine/bootstrap/types.js';
import {
  AWS_SECRET_KEY,
  AWS_SESSION_TOKEN,
  DB_PASSWORD,
  FakeKube,
  awsModel,
  awsOutputs,
  fakeClock,
} from './fixtures.js';

export const DOUBLES = resolve(__dirname, '../../doubles/bin');
export const FIXED_KEY = Buffer.alloc(32, 7);
export const ENCRYPTION_KEY = `sk_${FIXED_KEY.toString('base64')}`;

/** Per-test state of the bootstrap harness, reset by useHarness()'s beforeEach. */
export const h = {
  dir: '',
  state: '',
  kube: undefined as unknown as FakeKube,
  events: [] as string[],
  logLines: [] as string[],
  secretsManagerCalls: 0,
  describeCalls: 0,
};

/** Registers the hooks: a temp dir for helm's state, a fresh fake Kubernetes API, no real network. */
export function useHarness(): void {
  beforeEach(() => {
    nock.disableNetConnect();
    h.dir = mkdtempSync(join(tmpdir(), 'bootstrap-test-'));
    h.state = join(h.dir, 'helm-state.json');
    h.events = [];
    h.logLines = [];
    h.secretsManagerCalls = 0;
    h.describeCalls = 0;
    h.kube = new FakeKube('https://kube.test').install();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    rmSync(h.dir, { recursive: true, force: true });
  });
}

export const eks: EksClientLike = {
  send: async (cmd) => {
    expect(cmd.input).toEqual({ name: 'beta9-ml-staging' });
    h.describeCalls++;
    return {
      cluster: {
        endpoint: 'https://kube.test',
        certificateAuthority: { data: Buffer.from('CA PEM').toString('base64') },
        status: 'ACTIVE',
      },
    };
  },
};

export function secretsManager(password = DB_PASSWORD): SecretsManagerLike {
  return {
    send: async (cmd) => {
      h.secretsManagerCalls++;
      expect(cmd.input).toEqual({
        SecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-AbCdEf',
      });
      return { SecretString: JSON.stringify({ username: 'beta9admin', password }) };
    },
  };
}

export function deps(over: Partial<BootstrapDeps> = {}): BootstrapDeps {
  return {
    aws: {
      eks,
      secretsManager: secretsManager(),
      credentials: async () => ({
        accessKeyId: 'ASIAEXAMPLE',
        secretAccessKey: AWS_SECRET_KEY,
        sessionToken: AWS_SESSION_TOKEN,
      }),
    },
    reporter: {
      phaseStarted: (p, d) => h.events.push(`start ${p}: ${d}`),
      phaseFinished: (p) => h.events.push(`done ${p}`),
      log: (l) => h.logLines.push(l),
    },
    clock: fakeClock(),
    randomBytes: () => FIXED_KEY,
    ...over,
  };
}

export function options(
  over: Partial<BootstrapOptions> = {},
  env: Record<string, string> = {},
): BootstrapOptions {
  return {
    model: awsModel(),
    outputs: awsOutputs(),
    helm: {
      env: {
        ...process.env,
        PATH: `${DOUBLES}:${process.env.PATH}`,
        BETA9_HELM_DOUBLE_STATE: h.state,
        ...env,
      },
      tmpDir: h.dir,
    },
    nodes: { intervalMs: 1000, timeoutMs: 10_000 },
    ...over,
  };
}

export function helmState() {
  return JSON.parse(readFileSync(h.state, 'utf8')) as {
    releases: Record<
      string,
      { revision: number; config: Record<string, unknown>; flags: Record<string, unknown>; chartRef: string }
    >;
  };
}

/** Nothing a person can read may hold a secret. */
export function expectNoSecrets(outcome: BootstrapOutcome, extra: string[] = []) {
  const text = [...h.logLines, ...h.events, JSON.stringify(outcome)].join('\n');
  for (const s of [
    DB_PASSWORD,
    AWS_SECRET_KEY,
    AWS_SESSION_TOKEN,
    ENCRYPTION_KEY,
    Buffer.from(DB_PASSWORD).toString('base64'),
    ...extra,
  ]) {
    expect(text).not.toContain(s);
  }
  expect(text).not.toContain('k8s-aws-v1.');
}

export const phasesOf = () =>
  h.events.filter((e) => e.startsWith('start ')).map((e) => e.split(':')[0]!.slice(6) as BootstrapPhase);

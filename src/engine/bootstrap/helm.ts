/**
 * Helm behind an interface with a factory (STYLE.md 3): production passes the real binary,
 * tests put test/doubles/bin/helm on PATH or pass their own ExecFn.
 *
 * Secrets: values and the kubeconfig are written to 0600 files in a private temp directory
 * that is removed after every command. helm's JSON output contains the user-supplied values
 * (`config`), so stdout is parsed and never forwarded to the line sink; stderr lines are
 * forwarded through the Redactor.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnExec, type ExecFn, type ExecResult } from './exec.js';
import { Redactor } from './redact.js';
import { BootstrapError, type BootstrapFailureClass, type ReleaseSummary } from './types.js';

export interface UpgradeInstallOptions {
  release: string;
  /** An OCI reference (`oci://…`), a repo/chart name, or a local path. */
  chart: string;
  version: string;
  namespace: string;
  values: Record<string, unknown>;
  /** Roll back (upgrade) or uninstall (first install) on failure. Always true in the bootstrap. */
  atomic?: boolean;
  wait?: boolean;
  /** Seconds, or a Go duration such as `10m` / `10m0s`. */
  timeout: number | string;
  createNamespace?: boolean;
}

/** One row of `helm list -o json`. */
export interface HelmListEntry {
  name: string;
  namespace: string;
  revision: string;
  updated: string;
  status: string;
  chart: string;
  app_version: string;
}

export interface HelmRunner {
  /** `helm version --short`, e.g. `v3.19.0+g3d8990f`. */
  version(): Promise<string>;
  upgradeInstall(options: UpgradeInstallOptions): Promise<ReleaseSummary>;
  /** The release, or undefined when it does not exist. */
  status(release: string, namespace: string): Promise<ReleaseSummary | undefined>;
  list(namespace?: string): Promise<HelmListEntry[]>;
  /** Whether a release was removed (false when there was none). */
  uninstall(release: string, namespace: string): Promise<boolean>;
}

export interface HelmRunnerOptions {
  binary?: string;
  /** Kubeconfig YAML, or a function returning fresh YAML per command (EKS tokens live 15 minutes). */
  kubeconfig?: string | (() => Promise<string>);
  /** An existing kubeconfig file to use as is (not removed). Ignored when `kubeconfig` is set. */
  kubeconfigPath?: string;
  /** Base environment for helm (defaults to process.env); KUBECONFIG is set per command. */
  env?: NodeJS.ProcessEnv;
  exec?: ExecFn;
  /** Hard deadline for one helm process, on top of helm's own --timeout. Default 30 minutes. */
  timeoutMs?: number;
  /** Receives helm's stderr (progress, warnings, errors), redacted. */
  onLine?: (line: string) => void;
  redactor?: Redactor;
  /** Parent of the private temp directories (default: the OS temp dir). */
  tmpDir?: string;
}

/** A helm command failed; `failureClass` says whether re-running is worth it. */
export class HelmError extends BootstrapError {
  readonly exitCode: number;
  constructor(failureClass: BootstrapFailureClass, message: string, exitCode: number, nextStep?: string) {
    super(failureClass, message, nextStep);
    this.name = 'HelmError';
    this.exitCode = exitCode;
  }
}

/** Go duration accepted by helm --timeout. */
export function helmDuration(timeout: number | string): string {
  if (typeof timeout === 'number') {
    if (!Number.isFinite(timeout) || timeout <= 0)
      throw new Error(`helm timeout must be a positive number of seconds, got ${timeout}`);
    return `${Math.ceil(timeout)}s`;
  }
  if (!/^(\d+h)?(\d+m)?(\d+s)?$/.test(timeout) || timeout === '') {
    throw new Error(`helm timeout '${timeout}' is not a Go duration. Expected e.g. 600s, 10m or 10m0s.`);
  }
  return timeout;
}

/** The first `Error: …` line of helm's stderr (helm prints exactly one), or its last line. */
export function helmErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    lines.find((l) => l.startsWith('Error:')) ?? lines[lines.length - 1] ?? 'helm failed without a message'
  );
}

/** Classifies helm's error text (helm 3 and 4 wording). */
export function classifyHelmError(stderr: string): { failureClass: BootstrapFailureClass; nextStep: string } {
  const text = stderr;
  if (/Kubernetes cluster unreachable/i.test(text)) {
    return {
      failureClass: 'kube_unreachable',
      nextStep: 'Check that the cluster endpoint is reachable from the runner, then re-run bootstrap.',
    };
  }
  if (/another operation \(install\/upgrade\/rollback\) is in progress/i.test(text)) {
    return {
      failureClass: 'release_locked',
      nextStep:
        'A previous helm run was interrupted. Run `helm history <release> -n <namespace>` and `helm rollback <release> -n <namespace>`, then re-run bootstrap.',
    };
  }
  if (/context deadline exceeded|timed out waiting for the condition/i.test(text)) {
    return {
      failureClass: 'timeout',
      nextStep:
        'The release was rolled back (--atomic). Check the pods of the release (`kubectl get pods -n <namespace>`); re-run bootstrap, or raise the timeout if the cluster is slow.',
    };
  }
  if (
    /failed to (do|perform|fetch|download)|: not found|no such host|dial tcp|i\/o timeout|TLS handshake timeout|toomanyrequests|unexpected status|connection reset|failed to authorize|pull access denied/i.test(
      text,
    )
  ) {
    return {
      failureClass: 'network',
      nextStep:
        'The chart could not be pulled. Check the chart reference and version and the runner network access, then re-run bootstrap.',
    };
  }
  return {
    failureClass: 'release_failed',
    nextStep: "Fix what helm's message names (chart values or cluster state), then re-run bootstrap.",
  };
}

interface HelmReleaseJson {
  name?: string;
  namespace?: string;
  version?: number;
  info?: { status?: string; description?: string };
  chart?: { metadata?: { name?: string; version?: string; appVersion?: string } };
}

/** Keeps the non-secret fields of helm's release JSON (drops `config`, `manifest`, chart values). */
export function releaseSummary(json: unknown): ReleaseSummary {
  const r = json as HelmReleaseJson;
  if (!r || typeof r !== 'object' || typeof r.name !== 'string') {
    throw new HelmError('unknown', 'helm printed JSON that is not a release (no name).', 0);
  }
  return {
    name: r.name,
    namespace: r.namespace ?? '',
    revision: typeof r.version === 'number' ? r.version : Number(r.version ?? 0),
    status: r.info?.status ?? 'unknown',
    chart: r.chart?.metadata?.name ?? '',
    chartVersion: r.chart?.metadata?.version ?? '',
    ...(r.chart?.metadata?.appVersion ? { appVersion: r.chart.metadata.appVersion } : {}),
    ...(r.info?.description ? { description: r.info.description } : {}),
  };
}

function parseJson(stdout: string, what: string): unknown {
  // helm may print hook output or warnings before the JSON document on stdout.
  const start = stdout.search(/^[[{]/m);
  if (start < 0) throw new HelmError('unknown', `${what}: helm printed no JSON.`, 0);
  try {
    return JSON.parse(stdout.slice(start));
  } catch {
    throw new HelmError('unknown', `${what}: helm printed JSON that does not parse.`, 0);
  }
}

export function createHelmRunner(options: HelmRunnerOptions = {}): HelmRunner {
  const {
    binary = 'helm',
    kubeconfig,
    kubeconfigPath,
    env = process.env,
    exec = spawnExec,
    timeoutMs = 30 * 60_000,
    onLine,
    redactor = new Redactor(),
    tmpDir = tmpdir(),
  } = options;
  const sink = redactor.wrap(onLine);

  /** Runs helm with a private temp dir holding the kubeconfig (and any files `prepare` writes). */
  async function run(args: string[], prepare?: (dir: string) => Promise<string[]>): Promise<ExecResult> {
    const dir = await mkdtemp(join(tmpDir, 'beta9-helm-'));
    try {
      const childEnv: NodeJS.ProcessEnv = { ...env };
      if (kubeconfig !== undefined) {
        const yaml = typeof kubeconfig === 'string' ? kubeconfig : await kubeconfig();
        const file = join(dir, 'kubeconfig');
        await writeFile(file, yaml, { mode: 0o600 });
        childEnv.KUBECONFIG = file;
      } else if (kubeconfigPath) {
        childEnv.KUBECONFIG = kubeconfigPath;
      }
      const extra = prepare ? await prepare(dir) : [];
      const fullArgs = [...args, ...extra];
      sink(
        `$ ${binary} ${fullArgs.map((a) => (a.startsWith(dir) ? '<temp>/' + a.slice(dir.length + 1) : a)).join(' ')}`,
      );
      let result: ExecResult;
      try {
        result = await exec(binary, fullArgs, { env: childEnv, timeoutMs, onStderrLine: sink });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          throw new HelmError(
            'config',
            `The helm binary '${binary}' was not found.`,
            127,
            'Install Helm 3.8+ on the runner (azure/setup-helm) or set the helm binary input.',
          );
        }
        throw new HelmError(
          'unknown',
          redactor.redact(`Running ${binary} failed: ${(err as Error).message}`),
          1,
        );
      }
      if (result.timedOut) {
        throw new HelmError(
          'timeout',
          `helm ${args[0]} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`,
          result.exitCode,
          'Re-run bootstrap; if the release is left pending, roll it back with `helm rollback`.',
        );
      }
      return result;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  function fail(result: ExecResult, what: string): never {
    const { failureClass, nextStep } = classifyHelmError(result.stderr);
    throw new HelmError(
      failureClass,
      redactor.redact(`${what}: ${helmErrorLine(result.stderr)}`),
      result.exitCode,
      nextStep,
    );
  }

  return {
    async version() {
      const result = await run(['version', '--short']);
      if (result.exitCode !== 0) fail(result, 'helm version');
      return result.stdout.trim();
    },

    async upgradeInstall(o) {
      const args = [
        'upgrade',
        '--install',
        o.release,
        o.chart,
        '--version',
        o.version,
        '--namespace',
        o.namespace,
      ];
      if (o.createNamespace) args.push('--create-namespace');
      if (o.atomic ?? true) args.push('--atomic');
      if (o.wait ?? true) args.push('--wait');
      args.push('--timeout', helmDuration(o.timeout), '-o', 'json');
      const result = await run(args, async (dir) => {
        const file = join(dir, 'values.json');
        // JSON is YAML; helm reads it with -f. Never logged: it holds the database password.
        await writeFile(file, JSON.stringify(o.values, null, 2), { mode: 0o600 });
        return ['-f', file];
      });
      if (result.exitCode !== 0)
        fail(result, `helm upgrade --install ${o.release} (${o.chart} ${o.version})`);
      return releaseSummary(parseJson(result.stdout, `helm upgrade ${o.release}`));
    },

    async status(release, namespace) {
      const result = await run(['status', release, '--namespace', namespace, '-o', 'json']);
      if (result.exitCode !== 0) {
        if (/release: not found/i.test(result.stderr)) return undefined;
        fail(result, `helm status ${release}`);
      }
      return releaseSummary(parseJson(result.stdout, `helm status ${release}`));
    },

    async list(namespace) {
      const scope = namespace ? ['--namespace', namespace] : ['--all-namespaces'];
      const result = await run(['list', ...scope, '--all', '-o', 'json']);
      if (result.exitCode !== 0) fail(result, 'helm list');
      const parsed = parseJson(result.stdout, 'helm list');
      if (!Array.isArray(parsed))
        throw new HelmError('unknown', 'helm list printed JSON that is not an array.', 0);
      return parsed as HelmListEntry[];
    },

    async uninstall(release, namespace) {
      const result = await run(['uninstall', release, '--namespace', namespace, '--wait']);
      if (result.exitCode !== 0) {
        if (/release: not found/i.test(result.stderr)) return false;
        fail(result, `helm uninstall ${release}`);
      }
      return true;
    },
  };
}

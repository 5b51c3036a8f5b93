import { createTerraformRunner, type Result, type TerraformFailure } from '../engine/terraform/index.js';
import type { TerraformLike, TerraformOutputs } from './context.js';

/**
 * The engine's Terraform/OpenTofu runner (src/engine/terraform) as the Action's commands use it: a
 * failed operation becomes an error carrying the runner's failure class and next step, which the
 * run report and the `failed: <reason>` deployment status show.
 */
export class TerraformCommandError extends Error {
  readonly failureClass: string;
  readonly nextStep: string;
  readonly retryable: boolean;
  constructor(failure: TerraformFailure, binary: string) {
    super(`${binary} ${failure.operation}: ${failure.message}`);
    this.name = 'TerraformCommandError';
    this.failureClass = failure.class;
    this.nextStep = failure.nextStep;
    this.retryable = failure.retryable;
  }
}

export interface TerraformAdapterOptions {
  binary: 'terraform' | 'tofu';
  cwd: string;
  /** Cloud credentials and region for the providers and the backend. */
  env: Record<string, string>;
  lockTimeout: string;
  timeoutMs: number;
  log: (line: string) => void;
}

/**
 * The runner's environment: the runner's own (PATH, HOME, proxies) minus what Terraform must never
 * see (the Action's inputs, which include the GitHub token, and the OIDC request credentials).
 */
export function childEnv(
  extra: Record<string, string>,
  base: Record<string, string | undefined> = process.env,
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(base)) {
    if (
      k.startsWith('INPUT_') ||
      k.startsWith('ACTIONS_ID_TOKEN_') ||
      k === 'ACTIONS_RUNTIME_TOKEN' ||
      k === 'GITHUB_TOKEN'
    )
      continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export function createTerraformAdapter(options: TerraformAdapterOptions): TerraformLike {
  const { binary, lockTimeout, log } = options;
  const runner = createTerraformRunner({
    binary,
    cwd: options.cwd,
    env: childEnv(options.env),
    timeoutMs: options.timeoutMs,
    onLine: (line) => log(line.text),
  });
  function must<T>(result: Result<T>): T {
    if (!result.ok) throw new TerraformCommandError(result.failure, binary);
    return result;
  }
  return {
    async init() {
      must(await runner.init());
    },
    async plan({ out, destroy }) {
      const result = must(await runner.plan({ out, destroy, lockTimeout }));
      return { changes: result.hasChanges };
    },
    async showJson(planFile) {
      return must(await runner.show(planFile)).plan;
    },
    async apply(planFile) {
      must(await runner.apply(planFile));
    },
    async output() {
      return must(await runner.output()).outputs as TerraformOutputs;
    },
  };
}

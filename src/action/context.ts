import type { Diagnostic, MetaConfig } from '../engine/config/types.js';
import type { InfraModel } from '../engine/model/types.js';
import type { PlanSummary } from '../engine/plan/types.js';
import type { BootstrapOutcome, BootstrapReporter } from '../engine/bootstrap/types.js';
import type { EnsureResult } from '../engine/backend/index.js';
import type { CloudCredentials } from './credentials.js';
import type { GitClient } from './git.js';
import type { GitHubReporter } from './github.js';
import type { ActionInputs } from './inputs.js';
import type { ActionIO } from './io.js';

/** Terraform outputs as `terraform output -json` prints them. */
export type TerraformOutputs = Record<string, { value: unknown; sensitive?: boolean; type?: unknown }>;

/** The Terraform operations the Action runs, in one synthesised stack directory. */
export interface TerraformLike {
  init(): Promise<void>;
  /** Writes the plan to `out`; `changes` is true when it is not empty (-detailed-exitcode). */
  plan(options: { out: string; destroy?: boolean }): Promise<{ changes: boolean }>;
  showJson(planFile: string): Promise<unknown>;
  apply(planFile: string): Promise<void>;
  output(): Promise<TerraformOutputs>;
}

export interface BootstrapArgs {
  model: InfraModel;
  outputs: TerraformOutputs;
  credentials: CloudCredentials;
  ingressController?: string;
  timeoutMinutes: number;
  reporter: BootstrapReporter;
  /** Values to mask in every line helm or kubectl print. */
  secrets: string[];
}

/** The engine, as the Action uses it. `main.ts` wires the real modules; tests may swap any part. */
export interface Engine {
  parseEnvironment(file: string, text: string): { config?: MetaConfig; diagnostics: Diagnostic[] };
  toInfraModel(config: MetaConfig): InfraModel;
  synthStack(model: InfraModel, outDir: string): Promise<{ file: string }>;
  createTerraform(options: {
    binary: 'terraform' | 'tofu';
    cwd: string;
    env: Record<string, string>;
    lockTimeout: string;
    timeoutMs: number;
    log: (line: string) => void;
  }): TerraformLike;
  summarizePlan(planJson: unknown): PlanSummary;
  /** The engine's plan Markdown for one environment, at most `maxChars` long. */
  renderPlanMarkdown(summary: PlanSummary, environment: string, maxChars?: number): string;
  /** The monthly cost change of the change (before = the base version, absent for a new environment). */
  costLine?(after: InfraModel, before?: InfraModel): string | undefined;
  bootstrap(args: BootstrapArgs): Promise<BootstrapOutcome>;
  ensureStateBackend(model: InfraModel, credentials: CloudCredentials): Promise<EnsureResult>;
  credentials(config: MetaConfig): Promise<CloudCredentials>;
}

export interface CommandContext {
  inputs: ActionInputs;
  io: ActionIO;
  git: GitClient;
  github: GitHubReporter;
  engine: Engine;
  now: () => Date;
  /** Removes every masked value from text bound for the GitHub API (masking covers only logs). */
  redact: (text: string) => string;
  sleep: (ms: number) => Promise<void>;
}

/** What every command hands back to main, which turns it into outputs and the exit status. */
export interface CommandResult {
  environments: string[];
  hasChanges: boolean;
  /** Markdown summary of the plans (the `plan-summary` output). */
  planSummary: string;
  /** Environments that failed, with the reason; non-empty fails the step. */
  failures: Array<{ environment: string; message: string }>;
  /** Environments removed in the change (destroy candidates). */
  removedEnvironments?: string[];
}

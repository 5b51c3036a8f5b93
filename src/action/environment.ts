import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MetaConfig, Diagnostic } from '../engine/config/types.js';
import { formatDiagnostic } from '../engine/config/types.js';
import type { InfraModel } from '../engine/model/types.js';
import { detectChanges, explicitChanges, type ChangeSet } from './changes.js';
import { publicOutputs as enginePublicOutputs } from '../engine/terraform/index.js';
import type { CommandContext, TerraformLike, TerraformOutputs } from './context.js';
import type { CloudCredentials } from './credentials.js';

/** Seconds per phase, as the run report wants them. */
export type Timings = Record<string, number>;

export async function timed<T>(
  ctx: CommandContext,
  timings: Timings,
  phase: string,
  fn: () => Promise<T>,
): Promise<T> {
  const start = ctx.now().getTime();
  try {
    return await fn();
  } finally {
    timings[phase] = Math.round(((ctx.now().getTime() - start) / 1000) * 10) / 10 + (timings[phase] ?? 0);
  }
}

/** Base and head of the change that triggered the run. */
export function baseAndHead(ctx: CommandContext): { base?: string; head: string } {
  const { github } = ctx.inputs;
  if (github.pullRequest)
    return { base: github.pullRequest.baseSha, head: github.sha || github.pullRequest.headSha };
  if (github.push) return { base: github.push.before, head: github.sha || github.push.after };
  return { head: github.sha || 'HEAD' };
}

/** The environments this run is about: the `environments` input, or the ones the change touches. */
export async function resolveChanges(
  ctx: CommandContext,
  options: { all?: boolean } = {},
): Promise<ChangeSet> {
  const { inputs, git } = ctx;
  const { base, head } = baseAndHead(ctx);
  if (inputs.environments !== 'detect') {
    const set = await explicitChanges(git, inputs.environments, {
      base,
      head,
      environmentsDirectory: inputs.environmentsDirectory,
    });
    if (set.missing.length > 0) {
      throw new Error(
        `No environment file for ${set.missing.map((n) => `'${n}'`).join(', ')} in ${inputs.environmentsDirectory}/ at ${head.slice(0, 7)}. Check the 'environments' input.`,
      );
    }
    return set;
  }
  if (options.all)
    return detectChanges(git, { head, environmentsDirectory: inputs.environmentsDirectory, sharedPaths: [] });
  return detectChanges(git, {
    base,
    head,
    environmentsDirectory: inputs.environmentsDirectory,
    sharedPaths: inputs.sharedPaths,
  });
}

export interface LoadedEnvironment {
  name: string;
  file: string;
  text: string;
  config?: MetaConfig;
  diagnostics: Diagnostic[];
}

/** Reads and validates one environment file from the checkout (or from a commit, for removed files). */
export async function loadEnvironment(
  ctx: CommandContext,
  name: string,
  file: string,
  rev?: string,
): Promise<LoadedEnvironment> {
  let text: string | undefined;
  if (rev) text = await ctx.git.show(rev, file);
  else {
    const path = join(ctx.inputs.workingDirectory, file);
    text = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  }
  if (text === undefined) {
    return {
      name,
      file,
      text: '',
      diagnostics: [
        { file, line: 1, column: 1, message: `The file is missing${rev ? ` at ${rev.slice(0, 7)}` : ''}.` },
      ],
    };
  }
  const { config, diagnostics } = ctx.engine.parseEnvironment(file, text);
  return { name, file, text, config: diagnostics.length === 0 ? config : undefined, diagnostics };
}

/** Every diagnostic as an `::error file=…,line=…,col=…::` annotation. */
export function annotate(ctx: CommandContext, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) {
    ctx.io.error(d.message, {
      title: 'beta9 environment file',
      file: d.file,
      startLine: d.line,
      startColumn: d.column,
      endLine: d.endLine,
      endColumn: d.endColumn,
    });
  }
}

export const diagnosticLines = (diagnostics: Diagnostic[]) => diagnostics.map(formatDiagnostic);

export interface Workspace {
  name: string;
  config: MetaConfig;
  model: InfraModel;
  dir: string;
  credentials: CloudCredentials;
  tf: TerraformLike;
}

/** Credentials, state bucket, synth and `init`: what every Terraform command needs first. */
export async function prepareWorkspace(
  ctx: CommandContext,
  config: MetaConfig,
  timings: Timings,
): Promise<Workspace> {
  const { engine, inputs, io } = ctx;
  const model = engine.toInfraModel(config);
  const credentials = await io.group(`${config.name}: credentials`, async () => {
    const c = await engine.credentials(config);
    io.info(`Acting as ${c.identity}`);
    return c;
  });
  const backend = await io.group(`${config.name}: state backend`, () =>
    engine.ensureStateBackend(model, credentials),
  );
  io.info(`State bucket ${backend.bucket} ${backend.created ? 'created' : 'ready'}.`);
  const outDir = join(inputs.workDirectory, config.name);
  mkdirSync(outDir, { recursive: true });
  const { file } = await timed(ctx, timings, 'synth', () => engine.synthStack(model, outDir));
  const tf = engine.createTerraform({
    binary: inputs.terraformBinary,
    cwd: dirname(file),
    env: credentials.env,
    lockTimeout: inputs.lockTimeout,
    timeoutMs: inputs.timeoutMinutes * 60_000,
    log: (line) => io.info(line),
  });
  await timed(ctx, timings, 'init', () =>
    io.group(`${config.name}: ${inputs.terraformBinary} init`, () => tf.init()),
  );
  return { name: config.name, config, model, dir: dirname(file), credentials, tf };
}

/** An error as the report and the deployment status show it: class, message, next step. */
export function describeError(err: unknown): { class: string; message: string; next_step?: string } {
  const e = err as {
    name?: string;
    message?: string;
    failureClass?: string;
    kind?: string;
    code?: unknown;
    nextStep?: string;
    hint?: string;
  };
  const cls =
    e.failureClass ?? e.kind ?? (typeof e.code === 'string' ? e.code : undefined) ?? e.name ?? 'internal';
  const message = (e.message ?? String(err)).split('\n')[0]?.slice(0, 500) ?? 'unknown error';
  const next = e.nextStep ?? e.hint;
  return next ? { class: cls, message, next_step: next } : { class: cls, message };
}

/** Non-sensitive Terraform outputs for the report (the engine's rule: sensitive ones never leave). */
export function publicOutputs(outputs: TerraformOutputs): Record<string, string | number | boolean> {
  return enginePublicOutputs(
    Object.fromEntries(
      Object.entries(outputs).map(([k, o]) => [
        k,
        { value: o.value, sensitive: Boolean(o.sensitive), type: o.type },
      ]),
    ),
  );
}

/** Scrubs values that must never reach GitHub (credentials, tokens) from text bound for an API. */
export function createRedactor(): { add(value: string): void; redact(text: string): string } {
  const secrets = new Set<string>();
  return {
    add(value) {
      if (value && value.length >= 6) secrets.add(value);
    },
    redact(text) {
      let out = text;
      for (const s of secrets) out = out.split(s).join('***');
      return out;
    },
  };
}

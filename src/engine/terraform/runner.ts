import { defaultPatterns, nameIsSensitive, redactText } from '../plan/redact.js';
import type { StateBackend } from '../model/types.js';
import { classifyFailure, diagnosticsFromText } from './classify.js';
import { spawnExec } from './exec.js';
import type {
  Exec,
  InitOptions,
  OutputLine,
  PlanOptions,
  PlanResult,
  Result,
  TerraformDiagnostic,
  TerraformOperation,
  TerraformOutputValue,
  TerraformRunner,
} from './types.js';

/** Default time limits per operation; an apply that creates an EKS cluster and RDS takes ~25 min. */
export const DEFAULT_TIMEOUTS_MS: Record<TerraformOperation, number> = {
  version: 60_000,
  init: 10 * 60_000,
  plan: 30 * 60_000,
  show: 5 * 60_000,
  apply: 90 * 60_000,
  output: 5 * 60_000,
  destroy: 90 * 60_000,
  'force-unlock': 2 * 60_000,
};

export interface TerraformRunnerOptions {
  /** `terraform` or `tofu` (or a path to either). */
  binary?: string;
  /** The directory holding the synthesised `*.tf.json`. */
  cwd: string;
  /**
   * The whole environment of the process (PATH, cloud credentials…); TF_IN_AUTOMATION is added.
   * Defaults to this process's environment.
   */
  env?: Record<string, string | undefined>;
  /** Cancels the running operation (SIGTERM, then SIGKILL): it ends as a `cancelled` failure. */
  signal?: AbortSignal;
  /** One limit for every operation, or limits per operation (the rest keep DEFAULT_TIMEOUTS_MS). */
  timeoutMs?: number | Partial<Record<TerraformOperation, number>>;
  /** Time between SIGTERM and SIGKILL when an operation times out (default 10 s). */
  killGraceMs?: number;
  /** Receives every output line as it arrives, with its timestamp. Lines are redacted. */
  onLine?: (line: OutputLine) => void;
  /** Runs the process; defaults to node:child_process. */
  exec?: Exec;
  /** Clock for line timestamps and durations. */
  now?: () => Date;
  /**
   * Use `-json` for init (Terraform >= 1.9). When the binary does not know the flag, init is
   * retried once without it. Default true.
   */
  jsonInit?: boolean;
}

interface RunOutput {
  exitCode: number | null;
  stdout: string;
  diagnostics: TerraformDiagnostic[];
  durationMs: number;
  failure?: ReturnType<typeof classifyFailure>;
  /** Raw text (not machine-readable lines) printed on either stream. */
  text: string;
}

/**
 * Creates a Terraform/OpenTofu runner. Every operation resolves to a value: `{ ok: true, … }`
 * or `{ ok: false, failure }` with the failure class, message and next step. Nothing throws
 * for a failed Terraform run.
 */
export function createTerraformRunner(opts: TerraformRunnerOptions): TerraformRunner {
  const binary = opts.binary ?? 'terraform';
  const exec = opts.exec ?? spawnExec;
  const now = opts.now ?? (() => new Date());
  const env = { ...(opts.env ?? process.env), TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  const limit = (op: TerraformOperation) =>
    typeof opts.timeoutMs === 'number' ? opts.timeoutMs : (opts.timeoutMs?.[op] ?? DEFAULT_TIMEOUTS_MS[op]);

  async function run(
    operation: TerraformOperation,
    args: string[],
    { json = false, okCodes = [0] }: { json?: boolean; okCodes?: number[] } = {},
  ): Promise<RunOutput> {
    const started = now().getTime();
    const diagnostics: TerraformDiagnostic[] = [];
    const text: string[] = [];
    const splitters = {
      stdout: lineSplitter((line) => handle('stdout', line)),
      stderr: lineSplitter((line) => handle('stderr', line)),
    };
    function handle(stream: 'stdout' | 'stderr', raw: string) {
      const parsed = json && raw.startsWith('{') ? parseUiLine(raw) : undefined;
      if (parsed) {
        if (parsed.diagnostic) diagnostics.push(parsed.diagnostic);
        opts.onLine?.({
          time: now().toISOString(),
          operation,
          stream,
          text: redactText(parsed.message),
          ...(parsed.level ? { level: parsed.level } : {}),
          ...(parsed.type ? { type: parsed.type } : {}),
        });
        return;
      }
      // `show -json` and `output -json` print one document, not UI lines: neither kept nor streamed.
      if ((operation === 'show' || operation === 'output') && stream === 'stdout') return;
      text.push(raw);
      opts.onLine?.({ time: now().toISOString(), operation, stream, text: redactText(raw) });
    }
    const timeoutMs = limit(operation);
    const streamed = { stdout: false, stderr: false };
    const result = await exec(binary, args, {
      cwd: opts.cwd,
      env,
      timeoutMs,
      killGraceMs: opts.killGraceMs ?? 10_000,
      ...(opts.signal ? { signal: opts.signal } : {}),
      onStdout: (chunk) => {
        streamed.stdout = true;
        splitters.stdout.push(chunk);
      },
      onStderr: (chunk) => {
        streamed.stderr = true;
        splitters.stderr.push(chunk);
      },
    });
    // An exec that does not stream (a test double, a buffered runner) still gets its output read.
    if (!streamed.stdout && result.stdout) splitters.stdout.push(result.stdout);
    if (!streamed.stderr && result.stderr) splitters.stderr.push(result.stderr);
    splitters.stdout.end();
    splitters.stderr.end();
    const durationMs = now().getTime() - started;
    const allText = text.join('\n');
    const out: RunOutput = {
      exitCode: result.exitCode,
      stdout: result.stdout,
      diagnostics,
      durationMs,
      text: allText,
    };
    const failed =
      result.timedOut ||
      result.spawnError !== undefined ||
      result.exitCode === null ||
      !okCodes.includes(result.exitCode);
    if (failed) {
      const textDiagnostics =
        diagnostics.length > 0 ? diagnostics : diagnosticsFromText(result.stderr + '\n' + allText);
      out.failure = classifyFailure({
        operation,
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        cancelled: result.cancelled === true,
        timeoutMs,
        diagnostics: textDiagnostics,
        text: allText,
        spawnError: result.spawnError,
        binary,
      });
    }
    return out;
  }

  const fail = (r: RunOutput) => ({ ok: false as const, durationMs: r.durationMs, failure: r.failure! });

  return {
    binary,

    async version() {
      const r = await run('version', ['version', '-json']);
      if (r.failure) return fail(r);
      try {
        const v = JSON.parse(r.stdout) as { terraform_version?: string };
        return { ok: true, durationMs: r.durationMs, version: String(v.terraform_version ?? '') };
      } catch {
        const m = /v(\d+\.\d+\.\d+\S*)/.exec(r.stdout);
        return { ok: true, durationMs: r.durationMs, version: m?.[1] ?? '' };
      }
    },

    async init(initOpts: InitOptions = {}) {
      const settings = {
        ...(initOpts.backend ? backendConfig(initOpts.backend) : {}),
        ...(initOpts.backendConfig ?? {}),
      };
      const args = ['init', '-input=false'];
      for (const [k, v] of Object.entries(settings)) args.push(`-backend-config=${k}=${String(v)}`);
      if (initOpts.upgrade) args.push('-upgrade');
      if (initOpts.reconfigure) args.push('-reconfigure');
      const useJson = opts.jsonInit !== false;
      let r = await run('init', useJson ? [...args, '-json'] : args, { json: useJson });
      // Older releases have no machine-readable init: fall back once to text output.
      if (useJson && r.failure && /flag provided but not defined: -json/.test(r.text)) {
        r = await run('init', args);
      }
      if (r.failure) return fail(r);
      return { ok: true, durationMs: r.durationMs };
    },

    async plan(planOpts: PlanOptions): Promise<Result<PlanResult>> {
      const args = ['plan', '-input=false', '-json', '-detailed-exitcode', `-out=${planOpts.out}`];
      if (planOpts.destroy) args.push('-destroy');
      if (planOpts.lockTimeout) args.push(`-lock-timeout=${planOpts.lockTimeout}`);
      for (const [k, v] of Object.entries(planOpts.vars ?? {})) args.push(`-var=${k}=${v}`);
      const r = await run('plan', args, { json: true, okCodes: [0, 2] });
      if (r.failure) return fail(r);
      const exitCode = r.exitCode === 2 ? 2 : 0;
      return {
        ok: true,
        durationMs: r.durationMs,
        exitCode,
        planFile: planOpts.out,
        hasChanges: exitCode === 2,
      };
    },

    async show(planFile: string) {
      const r = await run('show', ['show', '-json', planFile]);
      if (r.failure) return fail(r);
      try {
        return { ok: true, durationMs: r.durationMs, plan: JSON.parse(r.stdout) as unknown };
      } catch (err) {
        return {
          ok: false,
          durationMs: r.durationMs,
          failure: classifyFailure({
            operation: 'show',
            exitCode: r.exitCode,
            diagnostics: [
              {
                severity: 'error',
                summary: 'Unreadable plan JSON',
                detail: `show -json printed invalid JSON: ${String(err)}`,
              },
            ],
            text: '',
          }),
        };
      }
    },

    async apply(planFile: string) {
      const r = await run('apply', ['apply', '-input=false', '-json', '-auto-approve', planFile], {
        json: true,
      });
      if (r.failure) return fail(r);
      return { ok: true, durationMs: r.durationMs };
    },

    async output() {
      const r = await run('output', ['output', '-json']);
      if (r.failure) return fail(r);
      try {
        const raw = JSON.parse(r.stdout || '{}') as Record<
          string,
          { value: unknown; sensitive?: boolean; type?: unknown }
        >;
        const outputs: Record<string, TerraformOutputValue> = {};
        for (const [name, o] of Object.entries(raw)) {
          outputs[name] = { value: o.value, sensitive: o.sensitive === true, type: o.type };
        }
        return { ok: true, durationMs: r.durationMs, outputs };
      } catch (err) {
        return {
          ok: false,
          durationMs: r.durationMs,
          failure: classifyFailure({
            operation: 'output',
            exitCode: r.exitCode,
            diagnostics: [
              {
                severity: 'error',
                summary: 'Unreadable outputs',
                detail: `output -json printed invalid JSON: ${String(err)}`,
              },
            ],
            text: '',
          }),
        };
      }
    },

    async destroy(destroyOpts: { lockTimeout?: string } = {}) {
      const args = ['destroy', '-input=false', '-json', '-auto-approve'];
      if (destroyOpts.lockTimeout) args.push(`-lock-timeout=${destroyOpts.lockTimeout}`);
      const r = await run('destroy', args, { json: true });
      if (r.failure) return fail(r);
      return { ok: true, durationMs: r.durationMs };
    },

    async forceUnlock(lockId: string) {
      if (!/^[\w.:/-]+$/.test(lockId)) {
        return {
          ok: false,
          durationMs: 0,
          failure: classifyFailure({
            operation: 'force-unlock',
            exitCode: null,
            diagnostics: [
              {
                severity: 'error',
                summary: 'Invalid lock ID',
                detail: `"${lockId}" is not a lock ID; copy the ID from the Lock Info block.`,
              },
            ],
            text: '',
          }),
        };
      }
      const r = await run('force-unlock', ['force-unlock', '-force', lockId]);
      if (r.failure) return fail(r);
      return { ok: true, durationMs: r.durationMs };
    },
  };
}

/** The `-backend-config` settings for a state backend (DESIGN.md "Terraform"). */
export function backendConfig(backend: StateBackend): Record<string, string | boolean> {
  if (backend.type === 's3') {
    return {
      bucket: backend.bucket,
      key: backend.key,
      region: backend.region,
      encrypt: backend.encrypt,
      use_lockfile: backend.useLockfile,
    };
  }
  return { bucket: backend.bucket, prefix: backend.prefix };
}

/** Names a secret's handle rather than the secret (`rds_master_user_secret_arn`). */
const REFERENCE_SUFFIX = /_(arn|id|name)$/i;

/**
 * The outputs safe to publish. Sensitive ones are dropped, not masked, and so are outputs whose
 * name says they hold a secret (`admin_password`) even when a module forgot `sensitive = true`;
 * secret-looking tokens inside the remaining values (a password in a URL) are redacted.
 */
export function publicOutputs(
  outputs: Record<string, TerraformOutputValue>,
): Record<string, string | number | boolean> {
  const patterns = defaultPatterns();
  const out: Record<string, string | number | boolean> = {};
  for (const [name, o] of Object.entries(outputs)) {
    if (o.sensitive) continue;
    if (nameIsSensitive(name, patterns) && !REFERENCE_SUFFIX.test(name)) continue;
    const v = o.value;
    if (typeof v === 'number' || typeof v === 'boolean') out[name] = v;
    else if (typeof v === 'string') out[name] = redactText(v, patterns);
    else if (v !== null && v !== undefined) out[name] = redactText(JSON.stringify(v), patterns);
  }
  return out;
}

interface UiLine {
  message: string;
  level?: string;
  type?: string;
  diagnostic?: TerraformDiagnostic;
}

/** Reads one line of Terraform's machine-readable UI (`-json`). */
export function parseUiLine(line: string): UiLine | undefined {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!obj || typeof obj !== 'object' || typeof obj['@message'] !== 'string') return undefined;
  const ui: UiLine = { message: obj['@message'] };
  if (typeof obj['@level'] === 'string') ui.level = obj['@level'];
  if (typeof obj.type === 'string') ui.type = obj.type;
  const d = obj.diagnostic as Record<string, unknown> | undefined;
  if (d && typeof d === 'object') {
    ui.diagnostic = {
      severity: d.severity === 'warning' ? 'warning' : 'error',
      summary: String(d.summary ?? ''),
      detail: String(d.detail ?? ''),
      ...(typeof d.address === 'string' ? { address: d.address } : {}),
    };
  }
  return ui;
}

function lineSplitter(onLine: (line: string) => void) {
  let buffer = '';
  return {
    push(chunk: string) {
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        onLine(buffer.slice(0, nl).replace(/\r$/, ''));
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
      }
    },
    end() {
      if (buffer.length > 0) onLine(buffer);
      buffer = '';
    },
  };
}

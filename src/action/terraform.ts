import { spawn } from 'node:child_process';
import type { TerraformLike, TerraformOutputs } from './context.js';

/**
 * `terraform`/`tofu` for the Action: non-interactive flags, the lock timeout, a hard deadline, and
 * output streamed line by line (the runner masks registered secrets). Errors carry a class and a
 * next step for the report.
 */
export class TerraformCommandError extends Error {
  constructor(
    readonly failureClass: string,
    message: string,
    readonly nextStep: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'TerraformCommandError';
  }
}

export interface TerraformAdapterOptions {
  binary: 'terraform' | 'tofu';
  cwd: string;
  env: Record<string, string>;
  lockTimeout: string;
  timeoutMs: number;
  log: (line: string) => void;
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Reads the first error line Terraform prints and says what kind of failure it is. */
export function classifyTerraformError(
  stderr: string,
  command: string,
): { failureClass: string; message: string; nextStep: string } {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^[│╷╵\s]+/, '').trim())
    .filter(Boolean);
  const errorLine = lines.find((l) => l.startsWith('Error:')) ?? lines[0] ?? `${command} failed`;
  const detail = errorLine.replace(/^Error:\s*/, '');
  const text = stderr;
  if (/Error acquiring the state lock|state lock/i.test(text)) {
    return {
      failureClass: 'state_locked',
      message: detail,
      nextStep:
        'Another run holds the state lock; wait for it, or force-unlock a stale lock with the lock ID shown.',
    };
  }
  if (
    /ExpiredToken|AccessDenied|UnauthorizedOperation|not authorized|403|invalid_grant|permission/i.test(text)
  ) {
    return {
      failureClass: 'cloud_permission',
      message: detail,
      nextStep:
        'Give the provisioner role or service account the permission named in the message, then re-run.',
    };
  }
  if (/quota|LimitExceeded|InsufficientInstanceCapacity|capacity/i.test(text)) {
    return {
      failureClass: 'cloud_capacity',
      message: detail,
      nextStep: 'Raise the quota or pick another region or size, then re-run.',
    };
  }
  if (
    /Failed to install provider|could not query provider registry|timeout|connection reset|TLS handshake/i.test(
      text,
    )
  ) {
    return {
      failureClass: 'network',
      message: detail,
      nextStep: 'Re-run; this failure is usually transient.',
    };
  }
  if (
    /Backend initialization required|Error configuring the backend|Failed to get existing workspaces/i.test(
      text,
    )
  ) {
    return {
      failureClass: 'backend',
      message: detail,
      nextStep: 'Check the state bucket and the role’s access to it.',
    };
  }
  return {
    failureClass: `${command}_failed`,
    message: detail,
    nextStep: `Read the ${command} log of this run; fix the cause and re-run (Terraform continues from its state).`,
  };
}

export function createTerraformAdapter(options: TerraformAdapterOptions): TerraformLike {
  const { binary, cwd, lockTimeout, timeoutMs, log } = options;
  const env = {
    ...process.env,
    ...options.env,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };

  function exec(args: string[], capture: boolean): Promise<Result> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(binary, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let buffered = '';
      const timer = setTimeout(() => {
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }, timeoutMs);
      child.stdout.on('data', (d: Buffer) => {
        const s = d.toString('utf8');
        stdout += s;
        if (capture) return;
        buffered += s;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) log(line);
      });
      child.stderr.on('data', (d: Buffer) => {
        const s = d.toString('utf8');
        stderr += s;
        for (const line of s.split('\n')) if (line.trim()) log(line);
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (err.code === 'ENOENT') {
          reject(
            new TerraformCommandError(
              'binary_missing',
              `'${binary}' was not found on PATH.`,
              binary === 'tofu'
                ? 'Add opentofu/setup-opentofu before this step.'
                : 'Add hashicorp/setup-terraform (terraform_wrapper: false) before this step.',
              127,
            ),
          );
        } else reject(err);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (buffered) log(buffered);
        if (signal) {
          reject(
            new TerraformCommandError(
              'timeout',
              `${binary} ${args[0]} was stopped after ${Math.round(timeoutMs / 60_000)} minutes.`,
              'Raise timeout-minutes, or re-run.',
              124,
            ),
          );
          return;
        }
        resolvePromise({ code: code ?? 1, stdout, stderr });
      });
    });
  }

  async function must(args: string[], capture = false): Promise<Result> {
    const r = await exec(args, capture);
    if (r.code !== 0) {
      const c = classifyTerraformError(r.stderr || r.stdout, `${binary} ${args[0]}`);
      throw new TerraformCommandError(
        c.failureClass,
        `${binary} ${args[0]}: ${c.message}`,
        c.nextStep,
        r.code,
      );
    }
    return r;
  }

  return {
    async init() {
      await must(['init', '-input=false', '-no-color', `-lock-timeout=${lockTimeout}`]);
    },
    async plan({ out, destroy }) {
      const args = [
        'plan',
        '-input=false',
        '-no-color',
        '-detailed-exitcode',
        `-lock-timeout=${lockTimeout}`,
        `-out=${out}`,
      ];
      if (destroy) args.push('-destroy');
      const r = await exec(args, false);
      if (r.code === 0) return { changes: false };
      if (r.code === 2) return { changes: true };
      const c = classifyTerraformError(r.stderr || r.stdout, `${binary} plan`);
      throw new TerraformCommandError(c.failureClass, `${binary} plan: ${c.message}`, c.nextStep, r.code);
    },
    async showJson(planFile) {
      const r = await must(['show', '-json', '-no-color', planFile], true);
      try {
        return JSON.parse(r.stdout) as unknown;
      } catch {
        throw new TerraformCommandError(
          'internal',
          `${binary} show -json printed no JSON.`,
          'Check the Terraform version (>= 1.11) and re-run.',
          0,
        );
      }
    },
    async apply(planFile) {
      await must([
        'apply',
        '-input=false',
        '-no-color',
        '-auto-approve',
        `-lock-timeout=${lockTimeout}`,
        planFile,
      ]);
    },
    async output() {
      const r = await must(['output', '-json', '-no-color'], true);
      const text = r.stdout.trim();
      return (text ? JSON.parse(text) : {}) as TerraformOutputs;
    },
  };
}

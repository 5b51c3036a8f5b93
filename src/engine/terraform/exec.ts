import { spawn } from 'node:child_process';
import type { Exec, ExecOptions, ExecResult } from './types.js';

/**
 * Runs a process with node:child_process. The child leads its own process group so a
 * timeout stops the whole tree (Terraform's provider plugins included): SIGTERM first, which
 * lets Terraform release the state lock, then SIGKILL after the grace period.
 */
export const spawnExec: Exec = (command: string, args: string[], opts: ExecOptions): Promise<ExecResult> =>
  new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let cancelled = false;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    const finish = (result: ExecResult) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ ...result, ...(cancelled ? { cancelled } : {}) });
    };
    const killTree = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        if (process.platform === 'win32') child.kill(signal);
        else process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const stop = () => {
      killTree('SIGTERM');
      timers.push(setTimeout(() => killTree('SIGKILL'), opts.killGraceMs ?? 10_000));
    };
    const onAbort = () => {
      if (settled || timedOut || cancelled) return;
      cancelled = true;
      stop();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      opts.onStdout?.(chunk);
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      opts.onStderr?.(chunk);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      finish({
        exitCode: null,
        signal: null,
        timedOut,
        stdout,
        stderr,
        spawnError: { code: err.code, message: err.message },
      });
    });
    child.on('close', (code, signal) => {
      finish({ exitCode: code, signal, timedOut, stdout, stderr });
    });
    if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
      timers.push(
        setTimeout(() => {
          if (cancelled) return;
          timedOut = true;
          stop();
        }, opts.timeoutMs),
      );
    }
  });

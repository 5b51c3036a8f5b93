/**
 * Runs the bundled Action the way a runner does: `node dist/action/index.js` in a directory that
 * holds only action.yml and the bundle (no node_modules), with INPUT_* and GITHUB_* variables, the
 * output and summary files, and the Terraform and Helm doubles first on PATH.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DOUBLES = join(ROOT, 'test/doubles/bin');

/** Bundles src/action like scripts/build.mjs does, into a directory with only action.yml beside it. */
export async function buildActionDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'beta9-action-'));
  mkdirSync(join(dir, 'dist/action'), { recursive: true });
  copyFileSync(join(ROOT, 'action.yml'), join(dir, 'action.yml'));
  // The same options as scripts/build.mjs: split, so heavy modules load only when a command needs them.
  await build({
    entryPoints: { index: join(ROOT, 'src/action/index.ts') },
    outdir: join(dir, 'dist/action'),
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: {
      js: "import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);",
    },
    legalComments: 'none',
    logLevel: 'error',
  });
  return dir;
}

export class TempRepo {
  readonly dir = mkdtempSync(join(tmpdir(), 'beta9-repo-'));
  constructor() {
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'dev@example.com');
    this.git('config', 'user.name', 'Dev');
    mkdirSync(join(this.dir, 'environments'));
  }
  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' }).trim();
  }
  write(path: string, text: string) {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), text);
  }
  remove(path: string) {
    this.git('rm', '-q', path);
  }
  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }
  checkout(rev: string) {
    this.git('checkout', '-q', rev);
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Parses GITHUB_OUTPUT's `name<<delimiter` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i] ?? '');
    out[m[1] ?? ''] = value.join('\n');
  }
  return out;
}

export interface RunOptions {
  actionDir: string;
  repo: TempRepo;
  runnerTemp: string;
  githubUrl: string;
  awsUrl: string;
  eventName: string;
  payload: unknown;
  sha: string;
  inputs: Record<string, string>;
  env?: Record<string, string>;
  /** Kill the run after this long (default 180 s). */
  timeoutMs?: number;
}

export function runAction(o: RunOptions): Promise<RunResult> {
  const work = mkdtempSync(join(tmpdir(), 'beta9-run-'));
  const eventPath = join(work, 'event.json');
  const outputPath = join(work, 'output');
  const summaryPath = join(work, 'summary');
  writeFileSync(eventPath, JSON.stringify(o.payload));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const env: Record<string, string> = {
    PATH: `${DOUBLES}:${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? work,
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: o.githubUrl,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_EVENT_NAME: o.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: o.sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKSPACE: o.repo.dir,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    RUNNER_TEMP: o.runnerTemp,
    ACTIONS_ID_TOKEN_REQUEST_URL: `${o.githubUrl}/oidc?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token',
    BETA9_AWS_ENDPOINT_URL: o.awsUrl,
    BETA9_HELM_DOUBLE_STATE: join(o.runnerTemp, 'helm-state.json'),
    AWS_EC2_METADATA_DISABLED: 'true',
    'INPUT_GITHUB-TOKEN': 'ghs_test',
    'INPUT_AWS-ROLE-ARN': 'arn:aws:iam::123456789012:role/GitHubActions',
    'INPUT_TIMEOUT-MINUTES': '5',
    ...Object.fromEntries(Object.entries(o.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...o.env,
  };
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [join(o.actionDir, 'dist/action/index.js')], {
      cwd: o.actionDir,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A hung run fails its test with its output instead of hanging the suite.
    const timer = setTimeout(() => {
      stderr += `\n[harness] the Action did not finish within ${o.timeoutMs ?? 180_000} ms; killed\n`;
      child.kill('SIGKILL');
    }, o.timeoutMs ?? 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({
        code: code ?? 1,
        stdout,
        stderr,
        outputs: parseOutputs(readFileSync(outputPath, 'utf8')),
        summary: existsSync(summaryPath) ? readFileSync(summaryPath, 'utf8') : '',
      });
    });
  });
}

/** Lines of stdout that are not `::add-mask::` commands (the only place a secret may appear). */
export function visibleLog(stdout: string): string {
  return stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}

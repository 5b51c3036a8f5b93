import { execFile } from 'node:child_process';

/** The git operations the Action needs, behind an interface so tests can use a temp repository or a fake. */
export interface GitClient {
  /** `git diff --name-status -M <base> <head>` output. */
  diffNameStatus(base: string, head: string): Promise<string>;
  /** File content at a revision, or undefined when the path does not exist there. */
  show(rev: string, path: string): Promise<string | undefined>;
  /** Names of the files directly inside `dir` at `rev`. */
  listFiles(rev: string, dir: string): Promise<string[]>;
  hasCommit(sha: string): Promise<boolean>;
  /** Fetches one commit from origin (shallow clones lack the base of a PR). */
  fetchCommit(sha: string): Promise<boolean>;
}

function git(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}

export function createGitClient(cwd: string): GitClient {
  return {
    async diffNameStatus(base, head) {
      const r = await git(cwd, ['diff', '--name-status', '-M', '--no-color', base, head]);
      if (r.code !== 0) throw new Error(`git diff ${base} ${head} failed in ${cwd}: ${r.stderr.trim()}`);
      return r.stdout;
    },
    async show(rev, path) {
      const r = await git(cwd, ['show', `${rev}:${path}`]);
      return r.code === 0 ? r.stdout : undefined;
    },
    async listFiles(rev, dir) {
      const r = await git(cwd, ['ls-tree', '--name-only', `${rev}`, `${dir.replace(/\/$/, '')}/`]);
      if (r.code !== 0) throw new Error(`git ls-tree ${rev} ${dir} failed in ${cwd}: ${r.stderr.trim()}`);
      return r.stdout.split('\n').filter((l) => l.length > 0);
    },
    async hasCommit(sha) {
      const r = await git(cwd, ['cat-file', '-e', `${sha}^{commit}`]);
      return r.code === 0;
    },
    async fetchCommit(sha) {
      const r = await git(cwd, ['fetch', '--no-tags', '--depth=1', 'origin', sha]);
      return r.code === 0;
    },
  };
}

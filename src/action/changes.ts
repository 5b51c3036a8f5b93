import { posix } from 'node:path';
import type { GitClient } from './git.js';

/** One file changed between base and head, from `git diff --name-status -M`. */
export interface FileChange {
  status: 'added' | 'modified' | 'renamed' | 'removed';
  path: string;
  previousPath?: string;
}

export type ChangeReason = 'added' | 'modified' | 'renamed' | 'removed' | 'shared' | 'explicit' | 'all';

export interface EnvironmentChange {
  name: string;
  /** Path of the file, relative to the repository root (at head; at base for a removal). */
  path: string;
  reason: ChangeReason;
}

export interface ChangeSet {
  base?: string;
  head: string;
  /** Environments whose file exists at head and must be planned or applied. */
  environments: EnvironmentChange[];
  /** Environments whose file was removed: candidates for destroy. */
  removed: EnvironmentChange[];
  /** Shared configuration files that changed (each plans every environment). */
  sharedChanges: string[];
  /** Why the set is what it is, for the job summary. */
  note?: string;
}

const STATUS: Record<string, FileChange['status']> = {
  A: 'added',
  M: 'modified',
  R: 'renamed',
  D: 'removed',
  C: 'added',
  T: 'modified',
};

export function parseNameStatus(output: string): FileChange[] {
  const changes: FileChange[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    const [code = '', first = '', second] = line.split('\t');
    const status = STATUS[code.charAt(0)];
    if (!status) continue;
    if ((status === 'renamed' || code.startsWith('C')) && second !== undefined) {
      changes.push(
        status === 'renamed' ? { status, path: second, previousPath: first } : { status, path: second },
      );
    } else {
      changes.push({ status, path: first });
    }
  }
  return changes;
}

/** Minimal glob: `**` crosses directories, `*` and `?` stay inside one. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*' && glob.charAt(i + 1) === '*') {
      re += '.*';
      i++;
      if (glob.charAt(i + 1) === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The environment name a path declares, when it is an environment file directly inside `dir`. */
export function environmentName(path: string, dir: string): string | undefined {
  const normalizedDir = posix.normalize(dir).replace(/\/$/, '');
  if (posix.dirname(path) !== normalizedDir) return undefined;
  const m = /^([^/]+)\.ya?ml$/.exec(posix.basename(path));
  return m?.[1];
}

export interface DetectOptions {
  base?: string;
  head: string;
  environmentsDirectory: string;
  sharedPaths: string[];
}

const ZERO_SHA = /^0+$/;

async function allEnvironments(
  git: GitClient,
  head: string,
  dir: string,
  reason: ChangeReason,
): Promise<EnvironmentChange[]> {
  const files = await git.listFiles(head, dir);
  return files
    .map((path) => ({ path, name: environmentName(path, dir) }))
    .filter((f): f is { path: string; name: string } => f.name !== undefined)
    .map((f) => ({ name: f.name, path: f.path, reason }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Finds the environments a change touches. Without a usable base (first push of a branch, a base
 * that cannot be fetched) every environment counts as changed: planning too much is safe, too little is not.
 */
export async function detectChanges(git: GitClient, options: DetectOptions): Promise<ChangeSet> {
  const { head, environmentsDirectory: dir } = options;
  let base = options.base && !ZERO_SHA.test(options.base) ? options.base : undefined;
  let note: string | undefined;
  if (base && !(await git.hasCommit(base)) && !(await git.fetchCommit(base))) {
    note = `The base commit ${base.slice(0, 7)} is not in the checkout and could not be fetched (use actions/checkout with fetch-depth: 0); every environment is treated as changed.`;
    base = undefined;
  }
  if (!base) {
    return {
      head,
      environments: await allEnvironments(git, head, dir, 'all'),
      removed: [],
      sharedChanges: [],
      note: note ?? 'No base commit to compare with; every environment is treated as changed.',
    };
  }

  const files = parseNameStatus(await git.diffNameStatus(base, head));
  const shared = options.sharedPaths.map(globToRegExp);
  const sharedChanges = files
    .flatMap((f) => [f.path, ...(f.previousPath ? [f.previousPath] : [])])
    .filter((p) => shared.some((re) => re.test(p)));

  const present = new Map<string, EnvironmentChange>();
  const removed = new Map<string, EnvironmentChange>();
  for (const f of files) {
    const name = environmentName(f.path, dir);
    const previousName = f.previousPath ? environmentName(f.previousPath, dir) : undefined;
    if (f.status === 'removed') {
      if (name) removed.set(name, { name, path: f.path, reason: 'removed' });
      continue;
    }
    if (name) present.set(name, { name, path: f.path, reason: f.status });
    // Renaming a file renames the environment: the old one goes away (unless the stem is unchanged, e.g. .yml -> .yaml).
    if (previousName && previousName !== name && f.previousPath) {
      removed.set(previousName, { name: previousName, path: f.previousPath, reason: 'removed' });
    }
  }
  for (const name of present.keys()) removed.delete(name);

  if (sharedChanges.length > 0) {
    for (const env of await allEnvironments(git, head, dir, 'shared')) {
      if (!present.has(env.name)) present.set(env.name, env);
    }
  }

  const sorted = (m: Map<string, EnvironmentChange>) =>
    [...m.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { base, head, environments: sorted(present), removed: sorted(removed), sharedChanges, note };
}

/** Explicit names from the `environments` input: each must have a file at head (or at base, when removed). */
export async function explicitChanges(
  git: GitClient,
  names: string[],
  options: { base?: string; head: string; environmentsDirectory: string },
): Promise<ChangeSet & { missing: string[] }> {
  const atHead = new Map(
    (await allEnvironments(git, options.head, options.environmentsDirectory, 'explicit')).map((e) => [
      e.name,
      e,
    ]),
  );
  const base =
    options.base && !ZERO_SHA.test(options.base) && (await git.hasCommit(options.base))
      ? options.base
      : undefined;
  const atBase = base
    ? new Map(
        (await allEnvironments(git, base, options.environmentsDirectory, 'removed')).map((e) => [e.name, e]),
      )
    : new Map();
  const environments: EnvironmentChange[] = [];
  const removed: EnvironmentChange[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const h = atHead.get(name);
    const b = atBase.get(name);
    if (h) environments.push(h);
    else if (b) removed.push(b);
    else missing.push(name);
  }
  return { base, head: options.head, environments, removed, sharedChanges: [], missing };
}

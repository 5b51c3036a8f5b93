import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detectChanges,
  environmentName,
  explicitChanges,
  globToRegExp,
  parseNameStatus,
} from '../../src/action/changes.js';
import { createGitClient } from '../../src/action/git.js';

const SHARED = ['.github/workflows/beta9*.yml', 'action.yml', 'src/engine/**'];

describe('parseNameStatus', () => {
  it('reads added, modified, removed and renamed files', () => {
    const out =
      'A\tenvironments/a.yaml\nM\tenvironments/b.yaml\nD\tenvironments/c.yaml\nR087\tenvironments/d.yaml\tenvironments/e.yaml\n';
    expect(parseNameStatus(out)).toEqual([
      { status: 'added', path: 'environments/a.yaml' },
      { status: 'modified', path: 'environments/b.yaml' },
      { status: 'removed', path: 'environments/c.yaml' },
      { status: 'renamed', path: 'environments/e.yaml', previousPath: 'environments/d.yaml' },
    ]);
  });
});

describe('globToRegExp and environmentName', () => {
  it('matches ** across directories and * within one', () => {
    expect(globToRegExp('src/engine/**').test('src/engine/model/profiles.ts')).toBe(true);
    expect(globToRegExp('.github/workflows/beta9*.yml').test('.github/workflows/beta9.yml')).toBe(true);
    expect(globToRegExp('.github/workflows/beta9*.yml').test('.github/workflows/other/beta9.yml')).toBe(
      false,
    );
    expect(globToRegExp('action.yml').test('xaction.yml')).toBe(false);
  });
  it('only counts YAML files directly in the environments directory', () => {
    expect(environmentName('environments/ml-staging.yaml', 'environments')).toBe('ml-staging');
    expect(environmentName('environments/prod.yml', 'environments/')).toBe('prod');
    expect(environmentName('environments/README.md', 'environments')).toBeUndefined();
    expect(environmentName('environments/old/x.yaml', 'environments')).toBeUndefined();
  });
});

describe('detectChanges on a real repository', () => {
  let dir: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  const commit = (msg: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', msg);
    return git('rev-parse', 'HEAD');
  };
  let c0: string, c1: string, c2: string, c3: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'beta9-changes-'));
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 'T');
    mkdirSync(join(dir, 'environments'));
    mkdirSync(join(dir, 'src/engine/model'), { recursive: true });
    writeFileSync(join(dir, 'environments/a.yaml'), 'name: a\n');
    writeFileSync(join(dir, 'environments/b.yaml'), 'name: b\n');
    writeFileSync(join(dir, 'environments/c.yaml'), 'name: c\n');
    writeFileSync(join(dir, 'src/engine/model/profiles.ts'), 'export {};\n');
    c0 = commit('init');
    writeFileSync(join(dir, 'environments/a.yaml'), 'name: a\n# edit\n');
    writeFileSync(join(dir, 'environments/new.yml'), 'name: new\n');
    rmSync(join(dir, 'environments/c.yaml'));
    writeFileSync(join(dir, 'environments/notes.md'), 'x');
    c1 = commit('edit, add, remove');
    renameSync(join(dir, 'environments/b.yaml'), join(dir, 'environments/b2.yaml'));
    c2 = commit('rename');
    writeFileSync(join(dir, 'src/engine/model/profiles.ts'), 'export const x = 1;\n');
    c3 = commit('shared');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds added, modified and removed environment files', async () => {
    const set = await detectChanges(createGitClient(dir), {
      base: c0,
      head: c1,
      environmentsDirectory: 'environments',
      sharedPaths: SHARED,
    });
    expect(set.environments).toEqual([
      { name: 'a', path: 'environments/a.yaml', reason: 'modified' },
      { name: 'new', path: 'environments/new.yml', reason: 'added' },
    ]);
    expect(set.removed).toEqual([{ name: 'c', path: 'environments/c.yaml', reason: 'removed' }]);
    expect(set.sharedChanges).toEqual([]);
  });

  it('treats a rename as the old environment removed and the new one added', async () => {
    const set = await detectChanges(createGitClient(dir), {
      base: c1,
      head: c2,
      environmentsDirectory: 'environments',
      sharedPaths: SHARED,
    });
    expect(set.environments.map((e) => [e.name, e.reason])).toEqual([['b2', 'renamed']]);
    expect(set.removed.map((e) => e.name)).toEqual(['b']);
  });

  it('plans every environment when shared configuration changes', async () => {
    const set = await detectChanges(createGitClient(dir), {
      base: c2,
      head: c3,
      environmentsDirectory: 'environments',
      sharedPaths: SHARED,
    });
    expect(set.sharedChanges).toEqual(['src/engine/model/profiles.ts']);
    expect(set.environments.map((e) => e.name)).toEqual(['a', 'b2', 'new']);
    expect(set.environments.every((e) => e.reason === 'shared')).toBe(true);
  });

  it('treats everything as changed without a base (new branch) or with an unknown one', async () => {
    const first = await detectChanges(createGitClient(dir), {
      base: '0'.repeat(40),
      head: c3,
      environmentsDirectory: 'environments',
      sharedPaths: SHARED,
    });
    expect(first.environments.map((e) => e.name)).toEqual(['a', 'b2', 'new']);
    const unknown = await detectChanges(createGitClient(dir), {
      base: 'f'.repeat(40),
      head: c3,
      environmentsDirectory: 'environments',
      sharedPaths: SHARED,
    });
    expect(unknown.environments).toHaveLength(3);
    expect(unknown.note).toMatch(/fetch-depth: 0/);
  });

  it('resolves explicit names at head, at base for removed files, and reports unknown names', async () => {
    const set = await explicitChanges(createGitClient(dir), ['a', 'c', 'zzz'], {
      base: c0,
      head: c1,
      environmentsDirectory: 'environments',
    });
    expect(set.environments.map((e) => e.name)).toEqual(['a']);
    expect(set.removed.map((e) => e.name)).toEqual(['c']);
    expect(set.missing).toEqual(['zzz']);
  });

  it('reads a file as it was at a commit', async () => {
    const g = createGitClient(dir);
    expect(await g.show(c0, 'environments/c.yaml')).toBe('name: c\n');
    expect(await g.show(c1, 'environments/c.yaml')).toBeUndefined();
  });
});

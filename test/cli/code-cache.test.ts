import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHES_KEPT, cacheDir, findBundle, loadWithCodeCache } from '../../src/cli/code-cache.js';

const loader = fileURLToPath(new URL('../../src/cli/code-cache.ts', import.meta.url));

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A small CommonJS bundle with a function that only runs when called (as a lazy binding would). */
function bundle(): string {
  dir = mkdtempSync(join(tmpdir(), 'beta9-code-cache-'));
  const file = join(dir, 'synth-gcp-ABC123.cjs');
  writeFileSync(
    file,
    `const path = require('node:path');
module.exports = { twice: (n) => n * 2, base: path.basename(__filename), dir: __dirname };\n`,
  );
  return file;
}

/**
 * Loads `file` in a fresh Node process (V8 also keeps compiled scripts in memory, so only a new
 * process shows whether the cache on disk was used), calls twice(21), saves the cache, and
 * reports what happened.
 */
function loadInProcess(file: string, cache: string): { fromCache: boolean; result: number } {
  const script = `
    const { loadWithCodeCache } = await import(${JSON.stringify(loader)});
    const loaded = loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cache)});
    const result = loaded.exports.twice(21);
    loaded.save();
    console.log(JSON.stringify({ fromCache: loaded.fromCache, result }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { fromCache: boolean; result: number };
}

describe('loadWithCodeCache', () => {
  it('loads a CommonJS bundle as require would', () => {
    const file = bundle();
    const loaded = loadWithCodeCache<{ twice(n: number): number; base: string; dir: string }>(
      file,
      join(dir, 'cache'),
    );
    expect(loaded.exports.twice(21)).toBe(42);
    expect(loaded.exports.base).toBe('synth-gcp-ABC123.cjs');
    expect(loaded.exports.dir).toBe(dir);
  });

  it('writes the cache after the work and the next process uses it', () => {
    const file = bundle();
    const cache = join(dir, 'cache');
    expect(loadInProcess(file, cache)).toEqual({ fromCache: false, result: 42 });
    expect(readdirSync(cache)).toEqual([`synth-gcp-ABC123.cjs-${process.version}-${process.arch}.v8cache`]);
    expect(loadInProcess(file, cache)).toEqual({ fromCache: true, result: 42 });
  });

  it('compiles as usual when the cache is damaged, and replaces it', () => {
    const file = bundle();
    const cache = join(dir, 'cache');
    loadInProcess(file, cache);
    const [name] = readdirSync(cache);
    writeFileSync(join(cache, name!), 'not a V8 code cache');
    expect(loadInProcess(file, cache)).toEqual({ fromCache: false, result: 42 });
    expect(readFileSync(join(cache, name!)).toString()).not.toBe('not a V8 code cache');
    expect(loadInProcess(file, cache)).toEqual({ fromCache: true, result: 42 });
  });

  it("keeps only the newest caches of a bundle's builds, and leaves other bundles' alone", () => {
    const file = bundle();
    const cache = join(dir, 'cache');
    mkdirSync(cache);
    const day = 24 * 60 * 60;
    const old = (name: string, daysAgo: number) => {
      writeFileSync(join(cache, name), 'an older build');
      utimesSync(join(cache, name), Date.now() / 1000 - daysAgo * day, Date.now() / 1000 - daysAgo * day);
    };
    const olderBuilds = ['OLD1', 'OLD2', 'OLD3', 'OLD4', 'OLD5'].map((hash, i) => {
      const name = `synth-gcp-${hash}.cjs-v18.0.0-x64.v8cache`;
      old(name, i + 1);
      return name;
    });
    old('synth-aws-OLD9.cjs-v18.0.0-x64.v8cache', 99);
    old('notes.txt', 99);
    loadWithCodeCache(file, cache).save();
    expect(readdirSync(cache).sort()).toEqual(
      [
        `synth-gcp-ABC123.cjs-${process.version}-${process.arch}.v8cache`,
        ...olderBuilds.slice(0, CACHES_KEPT - 1),
        'synth-aws-OLD9.cjs-v18.0.0-x64.v8cache',
        'notes.txt',
      ].sort(),
    );
  });

  it('does not fail when the cache cannot be written', () => {
    const file = bundle();
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the cache folder should be');
    const loaded = loadWithCodeCache<{ twice(n: number): number }>(file, join(blocked, 'cache'));
    expect(() => loaded.save()).not.toThrow();
    expect(loaded.exports.twice(1)).toBe(2);
    if (process.getuid?.() !== 0) {
      const readOnly = join(dir, 'read-only');
      mkdirSync(readOnly);
      chmodSync(readOnly, 0o500);
      expect(() => loadWithCodeCache(file, readOnly).save()).not.toThrow();
      expect(readdirSync(readOnly)).toEqual([]);
    }
  });
});

describe('findBundle and cacheDir', () => {
  it('finds a bundle by name beside the CLI or one folder up, unless the cache is turned off', () => {
    const file = bundle();
    const chunks = join(dir, 'chunks');
    mkdirSync(chunks);
    expect(findBundle(dir, 'synth-gcp', {})).toBe(file);
    expect(findBundle(chunks, 'synth-gcp', {})).toBe(file);
    expect(findBundle(dir, 'synth-aws', {})).toBeUndefined();
    expect(findBundle(dir, 'synth-gcp', { BETA9_CODE_CACHE: '0' })).toBeUndefined();
    expect(findBundle(join(dir, 'nowhere', 'deeper'), 'synth-gcp', {})).toBeUndefined();
  });

  it('keeps caches in BETA9_CACHE_DIR, else under XDG_CACHE_HOME or ~/.cache', () => {
    dir = mkdtempSync(join(tmpdir(), 'beta9-code-cache-'));
    expect(cacheDir({ BETA9_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(cacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe(join('/xdg', 'beta9-provisioner'));
    expect(cacheDir({})).toMatch(/[/\\]\.cache[/\\]beta9-provisioner$/);
  });
});

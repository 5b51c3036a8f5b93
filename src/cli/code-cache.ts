import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** A CommonJS bundle loaded through V8 with a code cache, and how to refresh that cache. */
export interface CachedModule<T> {
  exports: T;
  /** True when V8 took the cached code; false when there was none or it was rejected. */
  fromCache: boolean;
  /**
   * Writes the code cache when there was no usable one. Call it after the work is done: V8's
   * cache then holds the bytecode of every function that ran, not only of the top level.
   * Never throws: a cache that cannot be written only costs the next process its speed.
   */
  save(): void;
}

/** Where code caches live: BETA9_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache, under beta9-provisioner. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BETA9_CACHE_DIR) return env.BETA9_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'beta9-provisioner');
}

/**
 * The function CommonJS code runs in. The build writes its bundles already wrapped in it
 * (scripts/bundles.mjs), so a large bundle is compiled as read instead of first being copied
 * into a longer string; any other file is wrapped here.
 */
export const MODULE_WRAPPER = [
  '(function (exports, require, module, __filename, __dirname) {',
  '\n})',
] as const;

/**
 * Loads the CommonJS bundle `file` (ASCII) as `require` would, but compiles it with a V8 code cache
 * kept in `dir`. A cold process spends much of a synth compiling the provider bindings'
 * functions the first time they run; with a cache written after a full run, the next process
 * gets their bytecode instead. The cache is named after the bundle (whose file name carries a
 * content hash; there is one bundle per cloud, and a cache holds the functions of the run
 * that wrote it), the Node version and the architecture; V8 checks it again on load and rejects
 * one that does not fit, in which case the bundle is simply compiled as usual.
 */
export function loadWithCodeCache<T>(file: string, dir = cacheDir()): CachedModule<T> {
  // The bundles are ASCII (esbuild's default charset), so reading them as latin1 gives the same
  // string without UTF-8 decoding (~3 ms for the 2.9 MB Google bundle).
  const source = readFileSync(file, 'latin1');
  const cacheFile = join(dir, `${basename(file)}-${process.version}-${process.arch}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // first run, or the cache was removed
  }
  const [open, close] = MODULE_WRAPPER;
  const script = new Script(source.startsWith(open) ? source : `${open}${source}${close}`, {
    filename: file,
    cachedData,
  });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} as T };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    fromCache,
    save() {
      if (fromCache) return;
      const temp = `${cacheFile}.${process.pid}.tmp`;
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cacheFile); // atomic: a concurrent reader sees the old file or the new one
        pruneCaches(dir, file);
      } catch {
        // read-only or full disk: the next process compiles as usual
        try {
          rmSync(temp, { force: true });
        } catch {
          // the folder itself is unusable; nothing was left in it
        }
      }
    },
  };
}

/** How many caches of one bundle (across its builds and Node versions) a cache folder keeps. */
export const CACHES_KEPT = 4;

/**
 * Removes all but the newest CACHES_KEPT caches of `file`'s bundle, so upgrades do not leave
 * caches of old builds behind for ever; a few are kept for projects on different versions.
 */
function pruneCaches(dir: string, file: string): void {
  const bundle = /^(.+)-[A-Z0-9]+\.cjs$/.exec(basename(file))?.[1];
  if (bundle === undefined) return; // not a hashed bundle: its cache is only ever replaced
  const mine = (name: string) =>
    name.startsWith(`${bundle}-`) && /^-[A-Z0-9]+\.cjs-.+\.v8cache$/.test(name.slice(bundle.length));
  const caches = readdirSync(dir)
    .filter(mine)
    .map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { name } of caches.slice(CACHES_KEPT)) rmSync(join(dir, name), { force: true });
}

/**
 * A CommonJS bundle shipped beside the built CLI (`dist/cli/<name>-<hash>.cjs`), looked for in
 * `dir` and its parent (the CLI's code may sit in `dist/cli/chunks/`). The bundles are the synth
 * command (`synth-command`) and each cloud's synth path (`synth-aws`, `synth-gcp`). Undefined
 * when running from source, or when BETA9_CODE_CACHE=0 turns the cache off.
 */
export function findBundle(
  dir: string,
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (env.BETA9_CODE_CACHE === '0') return undefined;
  const pattern = new RegExp(`^${name}-[A-Z0-9]+\\.cjs$`);
  for (const folder of [dir, dirname(dir)]) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    const found = names.find((n) => pattern.test(n));
    if (found) return join(folder, found);
  }
  return undefined;
}

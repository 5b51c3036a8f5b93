// Bundles the Action (self-contained, runs with no node_modules on GitHub's node24 runners)
// and the CLI (fast start: deep provider imports bundled, native better-sqlite3 left external).
// `node scripts/build.mjs --check` rebuilds into a temp dir and fails when the committed dist/ differs.
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { cdktfWithoutArchiver, synthBundleOptions } from './esbuild-cdktf.mjs';

const check = process.argv.includes('--check');
const outRoot = check ? mkdtempSync(join(tmpdir(), 'beta9-dist-')) : 'dist';

// esbuild's ESM output cannot `require()` Node built-ins from bundled CommonJS without this shim.
const banner = {
  js: "import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);",
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner,
  legalComments: 'none',
  logLevel: 'warning',
  sourcemap: false,
  minify: false,
  metafile: false,
  plugins: [cdktfWithoutArchiver()],
};

// Each entry is split: heavy modules behind a dynamic import() (CDKTF providers, the Kubernetes
// client) land in chunks that load only when a command needs them, so the first log line comes fast.
const entries = [
  { in: 'src/action/index.ts', out: 'action', external: [] },
  {
    in: 'src/cli/index.ts',
    out: 'cli',
    // Native or runtime-loaded packages stay in node_modules; the CLI ships with its dependencies.
    external: ['better-sqlite3', 'probot', 'pino', 'pino-*', '@kubernetes/client-node', 'playwright-core'],
  },
];

for (const entry of entries) {
  if (!existsSync(entry.in)) continue;
  const outdir = join(outRoot, entry.out);
  // Chunk names carry content hashes: clear old ones so dist/ holds exactly one build.
  rmSync(outdir, { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: { index: entry.in },
    outdir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    external: entry.external,
  });
  // The CLI's synth command loads a CommonJS copy of the synth path, one per cloud, with a V8 code cache.
  if (entry.out === 'cli') {
    for (const cloud of ['aws', 'gcp']) await build(synthBundleOptions(outdir, cloud));
  }
}

if (check) {
  const files = (dir) =>
    existsSync(dir)
      ? readdirSync(dir, { recursive: true })
          .map((f) => join(dir, String(f)))
          .filter((f) => statSync(f).isFile())
          .map((f) => relative(dir, f))
          .sort()
      : [];
  const built = files(outRoot);
  const committed = files('dist');
  const stale = [
    ...built.filter(
      (f) => !committed.includes(f) || !readFileSync(join(outRoot, f)).equals(readFileSync(join('dist', f))),
    ),
    ...committed.filter((f) => !built.includes(f)),
  ];
  rmSync(outRoot, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(`dist/ is stale (${stale.join(', ')}). Run 'npm run build' and commit dist/.`);
    process.exit(1);
  }
  console.log('dist/ is up to date');
}

// Bundles the Action (self-contained, runs with no node_modules on GitHub's node24 runners)
// and the CLI (fast start: deep provider imports bundled, native better-sqlite3 left external);
// the esbuild options are in scripts/bundles.mjs.
// `node scripts/build.mjs --check` rebuilds into a temp dir and fails when the committed dist/ differs.
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { actionBuilds, cliBuilds } from './bundles.mjs';

const check = process.argv.includes('--check');
const outRoot = check ? mkdtempSync(join(tmpdir(), 'beta9-dist-')) : 'dist';

for (const [name, builds] of [
  ['action', actionBuilds],
  ['cli', cliBuilds],
]) {
  const outdir = join(outRoot, name);
  // Chunk names carry content hashes: clear old ones so dist/ holds exactly one build.
  rmSync(outdir, { recursive: true, force: true });
  for (const options of builds(outdir)) await build(options);
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

// esbuild options for everything in dist/, shared by scripts/build.mjs and bench/synth.ts (which
// builds the CLI the same way, so its figures are for this checkout).

// esbuild's ESM output cannot `require()` Node built-ins from bundled CommonJS without this shim.
export const esmBanner = {
  js: "import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);",
};

const esm = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner: esmBanner,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [cdktfWithoutArchiver()],
  // Split: heavy modules behind a dynamic import() (CDKTF providers, the Kubernetes client) land
  // in chunks that load only when a command needs them, so the first log line comes fast.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
};

const cjs = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'none',
  logLevel: 'warning',
  outExtension: { '.js': '.cjs' },
};

/** The Action: self-contained, runs with no node_modules on GitHub's node24 runners. */
export function actionBuilds(outdir) {
  return [{ ...esm, entryPoints: { index: 'src/action/index.ts' }, outdir }];
}

/**
 * The CLI, which ships with its dependencies (native or runtime-loaded packages stay external):
 * - `index.cjs`, the bin's entry, CommonJS so that `synth` starts without Node's ES module loader;
 * - `cli.js` and its chunks, every command as ES modules, imported by index.cjs for the rest;
 * - the synth bundles (below).
 */
export function cliBuilds(outdir) {
  return [
    {
      ...esm,
      entryPoints: { cli: 'src/cli/cli.ts' },
      outdir,
      external: ['better-sqlite3', 'probot', 'pino', 'pino-*', '@kubernetes/client-node', 'playwright-core'],
    },
    {
      ...cjs,
      entryPoints: { index: 'src/cli/index.ts' },
      outdir,
      external: ['./cli.js'],
      define: { 'import.meta.url': '__beta9ModuleUrl' },
      banner: { js: 'const __beta9ModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    },
    ...synthBundleOptions(outdir),
  ];
}

/**
 * Leaves `archiver` (and the ~850 KB of streams, glob and zip code behind it) out of the bundle.
 *
 * cdktf/lib/private/fs.js requires it at load time but calls it only when that file runs as its
 * own process (`node fs.js <src> <dest>`, spawned by TerraformAsset to zip a folder), which a
 * bundle never is. Loading it anyway was a sixth to a quarter of what a synth process did beyond
 * starting Node (by instruction count).
 * The stand-in throws if it is ever called, naming what is missing.
 */
export function cdktfWithoutArchiver() {
  const importer = /[\\/]cdktf[\\/]lib[\\/]private[\\/]fs\.js$/;
  return {
    name: 'cdktf-without-archiver',
    setup(build) {
      build.onResolve({ filter: /^archiver$/ }, (args) =>
        importer.test(args.importer) ? { path: 'archiver', namespace: 'cdktf-without-archiver' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'cdktf-without-archiver' }, () => ({
        contents:
          "module.exports = function archiver() { throw new Error('archiver is not bundled: CDKTF assets cannot be zipped in this build'); };",
        loader: 'js',
      }));
    },
  };
}

/**
 * One CommonJS bundle, named `<name>-<hash>.cjs`, of the kind src/cli/code-cache.ts loads: ASCII
 * (esbuild's default charset) and already wrapped in code-cache.ts's MODULE_WRAPPER, so it is
 * compiled as read. Such a file is not meant for `require()`.
 */
function cjsBundle(outdir, name, entry, plugins = []) {
  return {
    ...cjs,
    charset: 'ascii',
    entryPoints: { [name]: entry },
    entryNames: '[name]-[hash]',
    outdir,
    plugins,
    banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
    footer: { js: '})' },
  };
}

/**
 * esbuild options for the bundles the CLI's synth command runs from, each loaded with a V8 code
 * cache (src/cli/synth-bundles.ts); CommonJS is the only form `vm.Script` can compile with
 * cached data. A file name carries a content hash, which keys its cache: a new build never meets
 * an old cache.
 * - `synth-command`: src/cli/synth-command.ts, the command up to the InfraModel (no CDKTF).
 * - `synth-aws`, `synth-gcp`: src/engine/stacks/synth.ts, with the other cloud's stack module
 *   replaced by a stub that throws, so a process reads only its own cloud's bindings.
 */
function synthBundleOptions(outdir) {
  return [
    cjsBundle(outdir, 'synth-command', 'src/cli/synth-command.ts'),
    ...['aws', 'gcp'].map((cloud) => {
      const other = cloud === 'aws' ? 'gcp' : 'aws';
      const otherStack = new RegExp(`^\\./${other}/stack\\.js$`);
      return cjsBundle(outdir, `synth-${cloud}`, 'src/engine/stacks/synth.ts', [
        cdktfWithoutArchiver(),
        {
          name: `synth-${cloud}-only`,
          setup(build) {
            build.onResolve({ filter: otherStack }, () => ({ path: other, namespace: 'other-cloud' }));
            build.onLoad({ filter: /.*/, namespace: 'other-cloud' }, () => ({
              contents: `throw new Error('this bundle synthesises ${cloud} environments only');`,
              loader: 'js',
            }));
          },
        },
      ]);
    }),
  ];
}

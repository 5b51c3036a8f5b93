// esbuild plugins for bundles that contain CDKTF, shared by scripts/build.mjs (dist/) and
// bench/synth.ts (which bundles the synth path the same way).

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
 * esbuild options for the synth bundles the CLI loads with a V8 code cache
 * (src/cli/code-cache.ts): src/engine/stacks/synth.ts as one CommonJS file per cloud, the only
 * form `vm.Script` can compile with cached data. The other cloud's stack module is replaced by
 * a stub that throws, so a process reads only its own cloud's bindings. The file name carries
 * a content hash, which keys the cache: a new build never meets an old cache.
 */
export function synthBundleOptions(outdir, cloud) {
  const other = cloud === 'aws' ? 'gcp' : 'aws';
  const otherStack = new RegExp(`^\\./${other}/stack\\.js$`);
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    legalComments: 'none',
    logLevel: 'warning',
    entryPoints: { [`synth-${cloud}`]: 'src/engine/stacks/synth.ts' },
    entryNames: '[name]-[hash]',
    outExtension: { '.js': '.cjs' },
    outdir,
    plugins: [
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
    ],
  };
}

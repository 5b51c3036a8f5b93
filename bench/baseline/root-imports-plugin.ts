import type { Plugin } from 'esbuild';

/**
 * esbuild plugin for the baseline: turns a deep binding import such as
 * `@cdktf/provider-aws/lib/s3-bucket-versioning/index.js` into the package-root access a typical
 * project writes (`import { s3BucketVersioning } from '@cdktf/provider-aws'`), so the baseline
 * builds the very same stack but pays for loading the whole provider package.
 */
export function rootImportsPlugin(): Plugin {
  const deep = /^(@cdktf\/provider-[a-z]+)\/lib\/([a-z0-9-]+)\/index\.js$/;
  return {
    name: 'cdktf-root-imports',
    setup(build) {
      build.onResolve({ filter: deep }, (args) => ({ path: args.path, namespace: 'cdktf-root' }));
      build.onLoad({ filter: /.*/, namespace: 'cdktf-root' }, (args) => {
        const [, pkg, dir] = deep.exec(args.path)!;
        // The package root exports each resource module as a camelCase namespace (`s3BucketVersioning`).
        const namespace = dir!.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
        return {
          contents: `module.exports = require(${JSON.stringify(pkg)})[${JSON.stringify(namespace)}];`,
          loader: 'js',
        };
      });
    },
  };
}

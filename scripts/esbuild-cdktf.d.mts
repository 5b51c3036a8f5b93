import type { BuildOptions, Plugin } from 'esbuild';

export function cdktfWithoutArchiver(): Plugin;

export function synthBundleOptions(outdir: string, cloud: 'aws' | 'gcp'): BuildOptions;

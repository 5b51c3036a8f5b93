import type { BuildOptions, Plugin } from 'esbuild';

export const esmBanner: { js: string };

export function actionBuilds(outdir: string): BuildOptions[];

export function cliBuilds(outdir: string): BuildOptions[];

export function cdktfWithoutArchiver(): Plugin;

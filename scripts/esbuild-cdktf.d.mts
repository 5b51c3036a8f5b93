import type { Plugin } from 'esbuild';

export function cdktfWithoutArchiver(): Plugin;

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = `${root}bin/beta9-provisioner.js`;

// The bin runs the committed bundle (dist/cli/index.js, built by `npm run build`).
describe('bin/beta9-provisioner.js (built CLI)', () => {
  it('has a built bundle to run', () => {
    expect(existsSync(`${root}dist/cli/index.js`)).toBe(true);
  });

  it('--help exits 0 and lists the commands', () => {
    const output = execFileSync(process.execPath, [bin, '--help'], { cwd: root, encoding: 'utf8' });
    expect(output).toContain('Usage: beta9-provisioner <command> [options]');
    expect(output).toMatch(/\n {2}validate +Check environment files/);
  });

  it('validates the shipped examples and exits 0', () => {
    const result = spawnSync(process.execPath, [bin, 'validate'], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/environment files checked: all valid\.\n$/);
    expect(result.status).toBe(0);
  });

  it('exits 2 on a usage error', () => {
    const result = spawnSync(process.execPath, [bin, 'frobnicate'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });

  it('synthesises with its code cache the same Terraform as without it', () => {
    const work = mkdtempSync(join(tmpdir(), 'beta9-bin-synth-'));
    try {
      const env = { ...process.env, BETA9_CACHE_DIR: join(work, 'cache') };
      const synth = (file: string, out: string, extra: NodeJS.ProcessEnv = {}) => {
        const result = spawnSync(process.execPath, [bin, 'synth', file, '--out', join(work, out)], {
          cwd: root,
          encoding: 'utf8',
          env: { ...env, ...extra },
        });
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        return readFileSync(join(work, out, 'cdk.tf.json'), 'utf8');
      };
      for (const [file, cloud] of [
        ['environments/ml-staging.yaml', 'aws'],
        ['environments/gpu-research.yaml', 'gcp'],
      ] as const) {
        const plain = synth(file, `${cloud}-plain`, { BETA9_CODE_CACHE: '0' });
        expect(synth(file, `${cloud}-first`)).toBe(plain); // writes the cache
        expect(synth(file, `${cloud}-cached`)).toBe(plain); // runs from it
      }
      expect(readdirSync(join(work, 'cache')).sort()).toEqual([
        expect.stringMatching(/^synth-aws-[A-Z0-9]+\.cjs-v[\d.]+-\w+\.v8cache$/),
        expect.stringMatching(/^synth-gcp-[A-Z0-9]+\.cjs-v[\d.]+-\w+\.v8cache$/),
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

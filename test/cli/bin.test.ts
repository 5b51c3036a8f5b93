import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODULE_WRAPPER } from '../../src/cli/code-cache.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = `${root}bin/beta9-provisioner.cjs`;

// The bin runs the committed bundle (dist/cli/index.cjs, built by `npm run build`).
describe('bin/beta9-provisioner.cjs (built CLI)', () => {
  it('has a built bundle to run', () => {
    expect(existsSync(`${root}dist/cli/index.cjs`)).toBe(true);
  });

  it('ships its code-cache bundles as ASCII, already wrapped as the loader compiles them', () => {
    // loadWithCodeCache reads them as latin1, which is only the same string for ASCII.
    const bundles = readdirSync(`${root}dist/cli`).filter((f) => /^synth-[a-z]+-[A-Z0-9]+\.cjs$/.test(f));
    expect(bundles.map((f) => f.replace(/-[A-Z0-9]+\.cjs$/, '')).sort()).toEqual([
      'synth-aws',
      'synth-command',
      'synth-gcp',
    ]);
    for (const file of bundles) {
      const bytes = readFileSync(`${root}dist/cli/${file}`);
      expect(bytes.every((b) => b < 0x80)).toBe(true);
      expect(bytes.toString('latin1').startsWith(MODULE_WRAPPER[0])).toBe(true);
    }
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
        expect.stringMatching(/^synth-command-[A-Z0-9]+\.cjs-v[\d.]+-\w+\.v8cache$/),
        expect.stringMatching(/^synth-gcp-[A-Z0-9]+\.cjs-v[\d.]+-\w+\.v8cache$/),
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('answers synth --help, usage errors and a bad file from its bundle as the full CLI does', () => {
    const work = mkdtempSync(join(tmpdir(), 'beta9-bin-synth-'));
    try {
      const bad = join(work, 'bad.yaml');
      writeFileSync(bad, 'version: 1\nname: bad\ncloud:\n  provider: azure\n');
      const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => {
        const { status, stdout, stderr } = spawnSync(process.execPath, [bin, 'synth', ...args], {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, BETA9_CACHE_DIR: join(work, 'cache'), ...env },
        });
        return { status, stdout, stderr };
      };
      for (const [args, status] of [
        [['--help'], 0],
        [[bad, '--out', join(work, 'out')], 1],
        [[], 2],
        [['a.yaml', 'b.yaml'], 2],
        [['--frobnicate'], 2],
        [['missing.yaml'], 2],
      ] as const) {
        const bundled = cli([...args]);
        expect(bundled).toEqual(cli([...args], { BETA9_CODE_CACHE: '0' }));
        expect(bundled.status).toBe(status);
      }
      expect(existsSync(join(work, 'out'))).toBe(false);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('falls back to the ES modules when the synth-command bundle is damaged, and names a damaged cloud bundle', () => {
    const work = mkdtempSync(join(tmpdir(), 'beta9-bin-damaged-'));
    try {
      cpSync(join(root, 'dist'), join(work, 'dist'), { recursive: true });
      cpSync(join(root, 'bin'), join(work, 'bin'), { recursive: true });
      const cliDir = join(work, 'dist', 'cli');
      const damage = (prefix: string) =>
        writeFileSync(
          join(
            cliDir,
            readdirSync(cliDir).find((f) => f.startsWith(prefix))!,
          ),
          'this is not JavaScript {',
        );
      const synth = () =>
        spawnSync(
          process.execPath,
          [
            join(work, 'bin', 'beta9-provisioner.cjs'),
            'synth',
            'environments/gpu-research.yaml',
            '--out',
            join(work, 'out'),
          ],
          { cwd: root, encoding: 'utf8', env: { ...process.env, BETA9_CACHE_DIR: join(work, 'cache') } },
        );

      damage('synth-command-');
      const fallback = synth();
      expect(fallback.stderr).toBe('');
      expect(fallback.status).toBe(0);
      expect(existsSync(join(work, 'out', 'cdk.tf.json'))).toBe(true);

      damage('synth-gcp-'); // the ES module CLI takes the ES module synth instead
      expect(synth().status).toBe(0);
      cpSync(join(root, 'dist', 'cli'), cliDir, { recursive: true }); // synth-command restored
      damage('synth-gcp-');
      const broken = synth();
      expect(broken.status).toBe(1);
      expect(broken.stderr).toMatch(/cannot load .*synth-gcp-[A-Z0-9]+\.cjs .*set BETA9_CODE_CACHE=0/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
});

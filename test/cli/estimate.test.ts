import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/types.js';

const EXAMPLES = new URL('../../environments/', import.meta.url).pathname;

let cwd: string;
let out: string;
let err: string;
const io = (): CliIo => ({ stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd, env: {} });
const cli = (...argv: string[]) => run(argv, io(), commands);

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'beta9-estimate-cli-'));
  out = '';
  err = '';
});

describe('beta9-provisioner estimate', () => {
  it('estimates an example environment as JSON with monthly_usd and line items', async () => {
    expect(await cli('estimate', join(EXAMPLES, 'ml-staging.yaml'), '--format', 'json')).toBe(0);
    const e = JSON.parse(out);
    expect(e.monthly_usd).toBeGreaterThan(0);
    expect(e.items.map((i: { category: string }) => i.category)).toEqual(
      expect.arrayContaining(['control_plane', 'nodes', 'network', 'database', 'cache', 'storage']),
    );
    const total = e.items.reduce((s: number, i: { monthly_usd: number }) => s + i.monthly_usd, 0);
    expect(e.monthly_usd).toBeCloseTo(total, 2);
    expect(err).toBe('');
  });

  it('prints the +$X/month of a change against the old file', async () => {
    const old = readFileSync(join(EXAMPLES, 'ml-staging.yaml'), 'utf8');
    const dir = join(cwd, 'environments');
    mkdirSync(dir);
    mkdirSync(join(cwd, 'old'));
    writeFileSync(join(cwd, 'old', 'ml-staging.yaml'), old);
    const bigger = old.replace(/high_availability: false/, 'high_availability: true');
    expect(bigger).not.toBe(old);
    writeFileSync(join(dir, 'ml-staging.yaml'), bigger);
    expect(await cli('estimate', 'environments/ml-staging.yaml', '--against', 'old/ml-staging.yaml')).toBe(0);
    expect(out).toMatch(/^#### Cost of `ml-staging`: \*\*\+\$[\d,]+\.\d\d\/month\*\*/);
    out = '';
    expect(
      await cli('estimate', 'environments/ml-staging.yaml', '--against', 'old/ml-staging.yaml', '-f', 'json'),
    ).toBe(0);
    const d = JSON.parse(out);
    expect(d.delta_monthly_usd).toBeGreaterThan(0);
    expect(d.monthly_usd - d.against.monthly_usd).toBeCloseTo(d.delta_monthly_usd, 2);
    expect(d.changes[0].label).toBe('PostgreSQL (RDS)');
  });

  it('prints the problems of a bad file and exits 1; usage errors exit 2', async () => {
    writeFileSync(join(cwd, 'bad.yaml'), 'version: 1\nname: bad\ncloud:\n  provider: azure\n');
    expect(await cli('estimate', 'bad.yaml')).toBe(1);
    expect(err).toMatch(/^bad\.yaml:\d+:\d+: /m);
    expect(await cli('estimate')).toBe(2);
    expect(await cli('estimate', 'bad.yaml', '--format', 'csv')).toBe(2);
  });
});

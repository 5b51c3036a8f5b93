import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/types.js';
import { FIXTURE_DIR } from '../engine/plan/fixtures.js';

let cwd: string;
let out: string;
let err: string;
const io = (): CliIo => ({ stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd, env: {} });
const cli = (...argv: string[]) => run(argv, io(), commands);

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'beta9-plan-cli-'));
  out = '';
  err = '';
  copyFileSync(join(FIXTURE_DIR, 'checkov__plan_tfplan.json'), join(cwd, 'goat.json'));
  copyFileSync(join(FIXTURE_DIR, 'infracost__terraform_v0.12_state.json'), join(cwd, 'state.json'));
});

describe('beta9-provisioner plan-summary', () => {
  it('prints the Markdown comment, named after the file, with secrets hidden', async () => {
    expect(await cli('plan-summary', 'goat.json')).toBe(0);
    expect(out).toContain('📝 **Plan:** 55 to add, 0 to change, 0 to destroy, 0 to replace.');
    expect(out).toContain('| `goat` | 55 | 0 | 0 | 0 |');
    expect(out).not.toContain('Aa1234321Bb');
    expect(out).not.toMatch(/AKIA[0-9A-Z]{16}/);
    expect(err).toBe('');
  });

  it('prints JSON with counts and resources', async () => {
    expect(await cli('plan-summary', 'goat.json', '--format', 'json', '--environment', 'x')).toBe(0);
    const json = JSON.parse(out);
    expect(json.counts).toEqual({ create: 55, update: 0, delete: 0, replace: 0, read: 0, no_op: 0 });
    expect(json.resources).toHaveLength(55);
    expect(out).not.toContain('Aa1234321Bb');
  });

  it('explains why a state file, UTF-16 or leading text is not a plan, exit 1', async () => {
    expect(await cli('plan-summary', 'state.json')).toBe(1);
    expect(err).toContain('state.json is a Terraform state');
    err = '';
    writeFileSync(
      join(cwd, 'utf16.json'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":1}', 'utf16le')]),
    );
    expect(await cli('plan-summary', 'utf16.json')).toBe(1);
    expect(err).toContain('utf16.json is UTF-16 encoded');
    err = '';
    writeFileSync(join(cwd, 'text.json'), 'Refreshing state...\n{"format_version":"1.2"}');
    expect(await cli('plan-summary', 'text.json')).toBe(1);
    expect(err).toContain('text.json has text before the JSON');
    expect(out).toBe('');
  });

  it('is a usage error without a file, with a missing file, or a bad format', async () => {
    expect(await cli('plan-summary')).toBe(2);
    expect(await cli('plan-summary', 'nope.json')).toBe(2);
    expect(err).toContain('nope.json: no such file');
    expect(await cli('plan-summary', 'goat.json', '--format', 'html')).toBe(2);
    expect(err).toContain('--format must be one of markdown, json');
  });
});

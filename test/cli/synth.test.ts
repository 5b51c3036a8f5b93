import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1)!;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'beta9-synth-cli-'));
  out = '';
  err = '';
});

describe('beta9-provisioner synth', () => {
  it('writes the example AWS environment and prints the file as the last line', async () => {
    expect(await cli('synth', join(EXAMPLES, 'ml-staging.yaml'), '--out', 'build/ml-staging')).toBe(0);
    expect(lastLine(out)).toBe(join('build', 'ml-staging', 'cdk.tf.json'));
    expect(out).toContain('ml-staging: aws us-east-1, state s3://beta9-tf-state-123456789012-us-east-1/');
    const tf = JSON.parse(readFileSync(join(cwd, lastLine(out)), 'utf8'));
    expect(tf.terraform.backend.s3.key).toBe('environments/ml-staging/terraform.tfstate');
    // The example turns deletion protection off: no final snapshot, the bucket can be emptied.
    const [db] = Object.values(tf.resource.aws_db_instance) as Record<string, unknown>[];
    expect(db).toMatchObject({ deletion_protection: false, skip_final_snapshot: true });
    expect(err).toBe('');
  });

  it('defaults --out to cdktf.out/stacks/<name>', async () => {
    expect(await cli('synth', join(EXAMPLES, 'gpu-research.yaml'))).toBe(0);
    expect(lastLine(out)).toBe(join('cdktf.out', 'stacks', 'gpu-research', 'cdk.tf.json'));
    const tf = JSON.parse(readFileSync(join(cwd, lastLine(out)), 'utf8'));
    expect(Object.keys(tf.terraform.backend)).toHaveLength(1);
  });

  it('prints every problem of a bad file with its position and exits 1, writing nothing', async () => {
    writeFileSync(join(cwd, 'bad.yaml'), 'version: 1\nname: bad\ncloud:\n  provider: azure\n');
    expect(await cli('synth', 'bad.yaml', '--out', 'o')).toBe(1);
    expect(err).toMatch(/^bad\.yaml:\d+:\d+: /m);
    expect(out).toBe('');
  });

  it('is a usage error without a file or with two', async () => {
    expect(await cli('synth')).toBe(2);
    expect(err).toContain('missing <file>');
    err = '';
    expect(await cli('synth', 'a.yaml', 'b.yaml')).toBe(2);
    expect(err).toContain('give exactly one file');
  });
});

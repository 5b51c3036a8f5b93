import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/types.js';

const VALID = `version: 1
name: demo
cloud:
  provider: aws
  region: us-east-1
  account_id: "123456789012"
  role_arn: arn:aws:iam::123456789012:role/Beta9Provisioner
`;

let cwd: string;
let out: string;
let err: string;
const io = (): CliIo => ({
  stdout: (t) => void (out += t),
  stderr: (t) => void (err += t),
  cwd,
  env: {},
});
const cli = (...argv: string[]) => run(argv, io(), commands);

function write(path: string, text: string) {
  mkdirSync(join(cwd, path, '..'), { recursive: true });
  writeFileSync(join(cwd, path), text);
}

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'beta9-cli-'));
  out = '';
  err = '';
});

describe('beta9-provisioner', () => {
  it('--help lists every command and exits 0', async () => {
    expect(await cli('--help')).toBe(0);
    expect(out).toContain('Usage: beta9-provisioner <command> [options]');
    expect(out).toMatch(/\n {2}validate +Check environment files/);
    expect(out).toMatch(/\n {2}model +Print the InfraModel/);
    expect(err).toBe('');
  });

  it('no arguments prints help to stderr and exits 2', async () => {
    expect(await cli()).toBe(2);
    expect(err).toContain('Usage: beta9-provisioner <command>');
    expect(out).toBe('');
  });

  it('an unknown command suggests the closest one and exits 2', async () => {
    expect(await cli('valdate')).toBe(2);
    expect(err).toBe(
      `beta9-provisioner: unknown command "valdate"; did you mean "validate"?\nRun 'beta9-provisioner --help' for usage.\n`,
    );
  });

  it('help <command> and <command> --help explain the command', async () => {
    expect(await cli('help', 'validate')).toBe(0);
    expect(out).toContain('Usage: beta9-provisioner validate [paths...]');
    out = '';
    expect(await cli('model', '-h')).toBe(0);
    expect(out).toContain('Usage: beta9-provisioner model <file> [--format json|yaml]');
    expect(out).toContain('-f, --format json|yaml');
  });

  it('--version prints the package version', async () => {
    expect(await cli('--version')).toBe(0);
    expect(out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('unknown options are usage errors (exit 2)', async () => {
    expect(await cli('validate', '--bogus')).toBe(2);
    expect(err).toBe(
      `beta9-provisioner validate: Unknown option '--bogus'\nRun 'beta9-provisioner validate --help' for usage.\n`,
    );
  });
});

describe('validate', () => {
  it('checks environments/ by default and exits 0 when all are valid', async () => {
    write('environments/demo.yaml', VALID);
    write('environments/README.md', 'not an environment');
    expect(await cli('validate')).toBe(0);
    expect(out).toBe('1 environment file checked: all valid.\n');
  });

  it('prints every problem of every file as path:line:col and exits 1', async () => {
    write('environments/demo.yaml', VALID.replace('region: us-east-1', 'regoin: us-east-1'));
    write('environments/other.yml', VALID.replace('"123456789012"', '123456789012'));
    write('environments/ok.yaml', VALID.replace('name: demo', 'name: ok'));
    expect(await cli('validate')).toBe(1);
    expect(out).toBe(
      [
        'environments/demo.yaml:3:1: missing required key "region" in cloud',
        'environments/demo.yaml:5:3: unknown key "regoin" in cloud; did you mean "region"?',
        'environments/other.yml:2:7: name "demo" must equal the file name "other"; rename the file to demo.yaml or set name: other',
        'environments/other.yml:6:15: cloud.account_id must be a string, but YAML reads 123456789012 as a number; quote it: account_id: "123456789012"',
        '3 environment files checked: 4 problems in 2.',
        '',
      ].join('\n'),
    );
  });

  it('takes files and folders, relative to the working folder', async () => {
    write('a/demo.yaml', VALID);
    write('b/x/other.yml', VALID.replace('name: demo', 'name: other'));
    expect(await cli('validate', 'a', 'b/x/other.yml')).toBe(0);
    expect(out).toBe('2 environment files checked: all valid.\n');
  });

  it('reports a name declared twice', async () => {
    write('a/demo.yaml', VALID);
    write('b/demo.yaml', VALID);
    expect(await cli('validate', 'a', 'b')).toBe(1);
    expect(out).toContain(
      'b/demo.yaml:2:7: environment name "demo" is also declared in a/demo.yaml; names must be unique (they key the Terraform state)',
    );
  });

  it('a missing path or an empty folder is a usage error', async () => {
    expect(await cli('validate')).toBe(2);
    expect(err).toContain('beta9-provisioner validate: environments: no such file or folder');
    err = '';
    mkdirSync(join(cwd, 'empty'));
    expect(await cli('validate', 'empty')).toBe(2);
    expect(err).toContain('empty: no environment files (*.yaml, *.yml) in this folder');
  });
});

describe('model', () => {
  it('prints the InfraModel as JSON by default', async () => {
    write('environments/demo.yaml', VALID);
    expect(await cli('model', 'environments/demo.yaml')).toBe(0);
    const model = JSON.parse(out);
    expect(model.name).toBe('demo');
    expect(model.cluster.nodeGroups[0].instanceType).toBe('m7i.xlarge');
    expect(model.stateBackend.bucket).toBe('beta9-tf-state-123456789012-us-east-1');
  });

  it('prints YAML with --format yaml', async () => {
    write('environments/demo.yaml', VALID);
    expect(await cli('model', 'environments/demo.yaml', '--format', 'yaml')).toBe(0);
    expect(parse(out).network.privateSubnets).toEqual(['10.0.0.0/19', '10.0.32.0/19']);
  });

  it('prints problems to stderr and exits 1 for an invalid file', async () => {
    write('environments/demo.yaml', VALID.replace('provider: aws', 'provider: azure'));
    expect(await cli('model', 'environments/demo.yaml')).toBe(1);
    expect(out).toBe('');
    expect(err).toBe('environments/demo.yaml:4:13: cloud.provider must be one of aws, gcp; got "azure"\n');
  });

  it('usage errors exit 2', async () => {
    expect(await cli('model')).toBe(2);
    expect(err).toContain('missing <file>');
    err = '';
    write('environments/demo.yaml', VALID);
    expect(await cli('model', 'environments/demo.yaml', '--format', 'xml')).toBe(2);
    expect(err).toContain('--format must be one of json, yaml; got "xml"');
    err = '';
    expect(await cli('model', 'environments')).toBe(2);
    expect(err).toContain('environments is a folder; give one environment file');
    err = '';
    expect(await cli('model', 'nope.yaml')).toBe(2);
    expect(err).toContain('nope.yaml: no such file or folder');
  });
});

import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutStackTraces } from '../../../src/engine/stacks/cdktf.js';
import { STACK_FILE, synthStack, synthToJson } from '../../../src/engine/stacks/index.js';
import { awsModel, gcpModel } from './fixtures.js';

const SRC = new URL('../../../src/', import.meta.url).pathname;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

describe('synthStack', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('writes the same Terraform JSON synthToJson returns, creating the directory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'beta9-synth-'));
    dirs.push(root);
    const outDir = join(root, 'nested', 'aws-small');
    const model = awsModel('small');
    const { file } = await synthStack(model, outDir);
    expect(file).toBe(join(outDir, STACK_FILE));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(synthToJson(model));
  });

  it('is deterministic: the same model gives byte-identical output', async () => {
    const model = gcpModel('medium');
    expect(JSON.stringify(synthToJson(model))).toBe(JSON.stringify(synthToJson(model)));
  });

  it('refuses an unknown provider by name', () => {
    const model = awsModel('small');
    expect(() => synthToJson({ ...model, cloud: { ...model.cloud, provider: 'azure' as 'aws' } })).toThrow(
      /Unknown cloud provider 'azure'. Expected aws or gcp/,
    );
  });
});

describe('withoutStackTraces', () => {
  it('captures no stacks inside, restores Error.stackTraceLimit after, even on a throw', () => {
    const before = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
    const inside = withoutStackTraces(() => {
      Error.stackTraceLimit = 50; // what cdktf does before capturing
      const probe = { stack: '' };
      Error.captureStackTrace(probe);
      return probe.stack;
    });
    expect(inside).toBeFalsy();
    expect(Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')).toEqual(before);
    expect(() =>
      withoutStackTraces(() => {
        throw new Error('bad model');
      }),
    ).toThrow('bad model');
    expect(Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')).toEqual(before);
    expect(new Error('after').stack).toContain('after');
  });
});

describe('module boundaries', () => {
  it('imports cdktf and constructs only in src/engine/stacks/cdktf.ts', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(SRC)) {
      const text = await readFile(file, 'utf8');
      if (
        /from\s+['"](cdktf|constructs)(\/[^'"]*)?['"]/.test(text) &&
        !file.endsWith('engine/stacks/cdktf.ts')
      ) {
        offenders.push(relative(SRC, file));
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps the clouds apart: aws/ never imports gcp/ or Google bindings, and the other way round', async () => {
    const offenders: string[] = [];
    for (const [cloud, other, binding] of [
      ['aws', 'gcp', 'provider-google'],
      ['gcp', 'aws', 'provider-aws'],
    ] as const) {
      for (const file of await sourceFiles(join(SRC, 'engine/stacks', cloud))) {
        const text = await readFile(file, 'utf8');
        if (text.includes(`'../${other}/`) || text.includes(`@cdktf/${binding}`))
          offenders.push(relative(SRC, file));
      }
    }
    expect(offenders).toEqual([]);
  });

  it('imports provider bindings by deep path only, never their package roots', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(SRC)) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/from\s+['"](@cdktf\/provider-[a-z]+)([^'"]*)['"]/g)) {
        if (!/^\/lib\/[a-z0-9-]+\/index\.js$/.test(match[2]!))
          offenders.push(`${relative(SRC, file)}: ${match[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

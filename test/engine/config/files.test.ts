import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_FILE_BYTES,
  expandPaths,
  formatDiagnostic,
  validateFiles,
  type ReadFile,
} from '../../../src/engine/config/index.js';
import { AWS_FILE, GCP_FILE } from './helpers.js';

const memory =
  (files: Record<string, string | Uint8Array>): ReadFile =>
  async (path) => {
    const content = files[path];
    if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return content;
  };

describe('validateFiles', () => {
  it('validates every file and returns configs for the valid ones', async () => {
    const { results, diagnostics } = await validateFiles(
      ['environments/demo.yaml', 'environments/other.yaml', 'environments/bad.yaml'],
      memory({
        'environments/demo.yaml': AWS_FILE,
        'environments/other.yaml': GCP_FILE.replace('name: demo', 'name: other'),
        'environments/bad.yaml': 'version: 1\nname: bad\n',
      }),
    );
    expect(results.map((r) => [r.file, r.config?.name])).toEqual([
      ['environments/demo.yaml', 'demo'],
      ['environments/other.yaml', 'other'],
      ['environments/bad.yaml', undefined],
    ]);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'environments/bad.yaml:1:1: missing required key "cloud"',
    ]);
  });

  it('reports a name declared in two files at the second name', async () => {
    const { results, diagnostics } = await validateFiles(
      ['a/demo.yaml', 'b/demo.yml'],
      memory({ 'a/demo.yaml': AWS_FILE, 'b/demo.yml': GCP_FILE }),
    );
    expect(results[1]?.config).toBeUndefined();
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'b/demo.yml:2:7: environment name "demo" is also declared in a/demo.yaml; names must be unique (they key the Terraform state)',
    ]);
  });

  it('turns read failures into diagnostics', async () => {
    const { diagnostics } = await validateFiles(['environments/gone.yaml'], memory({}));
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'environments/gone.yaml:1:1: cannot read the file: no such file',
    ]);
  });

  it('reads from disk without loading more than 1 MiB of a huge file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beta9-files-'));
    writeFileSync(join(dir, 'demo.yaml'), AWS_FILE);
    writeFileSync(join(dir, 'huge.yaml'), Buffer.alloc(3 * MAX_FILE_BYTES, 0x20));
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const { files } = await expandPaths([dir, join(dir, 'missing.yaml')]);
    expect(files).toEqual([join(dir, 'demo.yaml'), join(dir, 'huge.yaml')]);
    const { diagnostics } = await validateFiles(files);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      `${join(dir, 'huge.yaml')}:1:1: the file is 3145728 bytes; environment files are limited to 1 MiB (1048576 bytes)`,
    ]);
    expect((await expandPaths([join(dir, 'missing.yaml')])).missing).toEqual([join(dir, 'missing.yaml')]);
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, MAX_TOKENS, parseEnvironment } from '../../../src/engine/config/index.js';
import { AWS_FILE, problems } from './helpers.js';

describe('malformed input is rejected with a position, never a crash', () => {
  it('malformed YAML', () => {
    expect(problems('version: 1\nname: [demo\ncloud: x\n')).toEqual([
      'environments/demo.yaml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(problems('version: 1\n  name: demo\n')).toEqual([
      'environments/demo.yaml:1:10: invalid YAML: Nested mappings are not allowed in compact mappings',
    ]);
    expect(problems('version: 1\ncloud:\n\tprovider: aws\n')).toEqual([
      'environments/demo.yaml:3:1: a tab is used for indentation; YAML needs spaces',
    ]);
    expect(problems('version: 1\nname: "demo\ncloud: {}\n')).toEqual([
      'environments/demo.yaml:2:7: invalid YAML: this "quoted value is never closed; add the closing "',
    ]);
    expect(problems("version: 1\nname: 'it''s\n")).toEqual([
      `environments/demo.yaml:2:7: invalid YAML: this 'quoted value is never closed; add the closing '`,
    ]);
  });

  it('duplicate keys, at any level, name the first occurrence', () => {
    expect(problems(`${AWS_FILE}name: demo\n`)).toEqual([
      'environments/demo.yaml:8:1: duplicate key "name" (first defined on line 2); remove one of them',
    ]);
    expect(
      problems(AWS_FILE.replace('  region: us-east-1\n', '  region: us-east-1\n  region: us-west-2\n')),
    ).toEqual([
      'environments/demo.yaml:6:3: duplicate key "region" (first defined on line 5); remove one of them',
    ]);
  });

  it('empty files and files with only comments', () => {
    const empty =
      'the file is empty; an environment needs at least version: 1, name and cloud (see docs/environment-files.md)';
    expect(problems('')).toEqual([`environments/demo.yaml:1:1: ${empty}`]);
    expect(problems('\n  \n')).toEqual([`environments/demo.yaml:1:1: ${empty}`]);
    expect(problems('# just a comment\n')).toEqual([`environments/demo.yaml:1:1: ${empty}`]);
    expect(problems('---\n')).toEqual([`environments/demo.yaml:1:1: ${empty}`]);
    expect(problems(new Uint8Array())).toEqual([`environments/demo.yaml:1:1: ${empty}`]);
  });

  it('roots that are not mappings', () => {
    const message = 'the file must be a mapping of keys (version: 1, name: ..., cloud: ...), but it is';
    expect(problems('- version: 1\n')).toEqual([`environments/demo.yaml:1:1: ${message} a list`]);
    expect(problems('# header\nhello\n')).toEqual([`environments/demo.yaml:2:1: ${message} a single value`]);
  });

  it('files over 1 MiB are refused by size before parsing', () => {
    const big = `${AWS_FILE}description: "${'x'.repeat(MAX_FILE_BYTES)}"\n`;
    expect(problems(big)).toEqual([
      `environments/demo.yaml:1:1: the file is ${big.length} bytes; environment files are limited to 1 MiB (1048576 bytes)`,
    ]);
    const bytes = new Uint8Array(MAX_FILE_BYTES + 1).fill(0x61);
    expect(problems(bytes)).toEqual([
      'environments/demo.yaml:1:1: the file is 1048577 bytes; environment files are limited to 1 MiB (1048576 bytes)',
    ]);
    // Multi-byte characters count as bytes, not characters.
    const wide = '€'.repeat(Math.ceil(MAX_FILE_BYTES / 3) + 1);
    expect(problems(wide)[0]).toContain(
      'environments are limited'.replace('environments', 'environment files'),
    );
  });

  it('alias bombs ("billion laughs")', () => {
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 9; i++) {
      const [prev, cur] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
      bomb += `${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    }
    expect(problems(bomb)).toEqual([
      'environments/demo.yaml:2:8: aliases expand to too many nodes (over 100); environment files do not need anchors and aliases, write the values out',
    ]);
  });

  it('deep nesting and token floods are refused quickly', () => {
    expect(problems(`a: ${'['.repeat(100_000)}`)).toEqual([
      'environments/demo.yaml:1:20: lists and mappings are nested more than 16 levels deep; environment files are at most 3 levels deep',
    ]);
    expect(problems(`${'- '.repeat(40)}x\n`)).toEqual([
      'environments/demo.yaml:1:33: lists and mappings are nested more than 16 levels deep; environment files are at most 3 levels deep',
    ]);
    const indented = Array.from({ length: 40 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(problems(indented)).toEqual([
      'environments/demo.yaml:17:17: mappings are indented more than 16 levels deep; environment files are at most 3 levels deep',
    ]);
    const flood = Array.from({ length: 30_000 }, (_, i) => `k${i}: v`).join('\n');
    expect(problems(flood)).toEqual([
      `environments/demo.yaml:6667:8: the file has more than ${MAX_TOKENS} YAML tokens; an environment file is a few dozen lines`,
    ]);
    expect(problems('"'.repeat(500_000))[0]).toMatch(/^environments\/demo\.yaml:1:\d+: /);
  });

  it('binary content and invalid UTF-8', () => {
    expect(problems(new Uint8Array([0x76, 0x3a, 0x20, 0xff, 0xfe, 0x0a]))).toEqual([
      'environments/demo.yaml:1:4: the file is not valid UTF-8 text (is it a binary file?); save it as UTF-8',
    ]);
    expect(problems(`${AWS_FILE}description: a\u0000b\n`)).toEqual([
      'environments/demo.yaml:8:15: the file contains the control character U+0000, which YAML does not allow; is this a binary file?',
    ]);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expect(problems(png)).toEqual([
      'environments/demo.yaml:1:1: the file is not valid UTF-8 text (is it a binary file?); save it as UTF-8',
    ]);
  });

  it('several documents, custom tags and complex keys', () => {
    expect(problems(`${AWS_FILE}---\nversion: 1\n`)).toEqual([
      'environments/demo.yaml:8:1: found a second YAML document (---); an environment file holds one environment',
    ]);
    expect(problems(`${AWS_FILE}description: !secret x\n`)[0]).toMatch(
      /^environments\/demo\.yaml:8:14: invalid YAML: .*; environment files use plain values, without !tags$/,
    );
    expect(problems(`${AWS_FILE}? [a, b]\n: c\n`)).toEqual([
      'environments/demo.yaml:8:3: keys must be plain words like name or cloud, not lists, mappings or aliases',
    ]);
  });

  it('caps the number of problems reported for one file', () => {
    const text = `${AWS_FILE}${Array.from({ length: 150 }, (_, i) => `extra${i}: 1`).join('\n')}\n`;
    const result = parseEnvironment('environments/demo.yaml', text).diagnostics;
    expect(result).toHaveLength(101);
    expect(result[100]?.message).toBe('50 more problems not shown; fix the ones above first');
  });
});

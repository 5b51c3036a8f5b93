import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AWS_GPU_TYPES, ENVIRONMENT_SCHEMA, GCP_GPU_TYPES } from '../../../src/engine/config/index.js';
import { DEFAULTS } from '../../../src/engine/model/index.js';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema> };

/** Every object schema under `properties`, with its path. */
function objectSchemas(schema: Schema, path: string[] = []): [string, Schema][] {
  const found: [string, Schema][] = schema.type === 'object' ? [[path.join('.') || '(root)', schema]] : [];
  for (const [key, child] of Object.entries(schema.properties ?? {}))
    found.push(...objectSchemas(child, [...path, key]));
  return found;
}

function leafSchemas(schema: Schema, path: string[] = []): [string, Schema][] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => [
    [[...path, key].join('.'), child] as [string, Schema],
    ...leafSchemas(child, [...path, key]),
  ]);
}

const schema = ENVIRONMENT_SCHEMA as Schema;

describe('schema/environment.v1.schema.json', () => {
  it('is draft 2020-12', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('describes every field, for editors and docs', () => {
    for (const [path, child] of leafSchemas(schema)) {
      expect(typeof child.description, `${path} has no description`).toBe('string');
    }
  });

  it('closes every object except tags (unknown keys are errors)', () => {
    for (const [path, child] of objectSchemas(schema)) {
      if (path === 'tags') continue;
      expect(child.additionalProperties, `${path} allows unknown keys`).toBe(false);
    }
  });

  it('agrees with the engine on GPU types and default versions', () => {
    const gpu = schema.properties!.cluster!.properties!.gpu!.properties!.type!;
    expect(new Set(gpu.enum as string[])).toEqual(new Set([...AWS_GPU_TYPES, ...GCP_GPU_TYPES]));
    expect(schema.properties!.beta9!.properties!.version!.default).toBe(DEFAULTS.beta9ChartVersion);
  });

  it('is referenced on the first line of every example environment', () => {
    const dir = new URL('../../../environments/', import.meta.url);
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const first = readFileSync(new URL(file, dir), 'utf8').split('\n')[0];
      expect(first, file).toBe('# yaml-language-server: $schema=../schema/environment.v1.schema.json');
    }
  });
});

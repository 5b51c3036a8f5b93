import type { SchemaObject, ValidateFunction } from 'ajv/dist/2020.js';
import validateEnvironment from './validate.generated.js';
import schemaJson from '../../../schema/environment.v1.schema.json' with { type: 'json' };

/** The JSON Schema of environment files, version 1: the single source of the structure. */
export const ENVIRONMENT_SCHEMA: SchemaObject = schemaJson;

/**
 * The validator of the schema, compiled ahead of time by scripts/gen-validator.mjs with these
 * ajv options: defaults filled in (`useDefaults`), every problem reported (`allErrors`), and the
 * failing schema and data kept on each error (`verbose`) so messages can name allowed keys and
 * values. A test checks that the generated file matches the schema.
 */
export function environmentValidator(): ValidateFunction {
  return validateEnvironment;
}

/** Every property path the schema declares (`[['version'], ['cloud'], ['cloud', 'region'], ...]`). */
export function schemaPropertyPaths(): string[][] {
  const paths: string[][] = [];
  const visit = (schema: SchemaObject, prefix: string[]) => {
    for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, SchemaObject>)) {
      if (typeof child !== 'object') continue;
      paths.push([...prefix, key]);
      visit(child, [...prefix, key]);
    }
  };
  visit(ENVIRONMENT_SCHEMA, []);
  return paths;
}

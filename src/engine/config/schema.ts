import { Ajv2020, type SchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';
import schemaJson from '../../../schema/environment.v1.schema.json' with { type: 'json' };

/** The JSON Schema of environment files, version 1: the single source of the structure. */
export const ENVIRONMENT_SCHEMA: SchemaObject = schemaJson;

let compiled: ValidateFunction | undefined;

/**
 * The compiled validator (compiled once, on first use). It fills in defaults (`useDefaults`),
 * reports every problem (`allErrors`) and keeps the failing schema and data on each error (`verbose`)
 * so messages can name allowed keys and values.
 */
export function environmentValidator(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv2020({
      allErrors: true,
      useDefaults: true,
      verbose: true,
      strict: true,
      strictTypes: false,
      strictRequired: false,
    });
    // An annotation for editors (yaml-language-server shows it) and for our own messages.
    ajv.addKeyword('patternErrorMessage');
    compiled = ajv.compile(ENVIRONMENT_SCHEMA);
  }
  return compiled;
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

import type { ErrorObject } from 'ajv/dist/2020.js';
import { schemaPropertyPaths } from './schema.js';
import type { Position, Segment, SourceMap } from './source.js';
import { closest } from './suggest.js';

export interface Problem extends Position {
  message: string;
}

/** Fields that belong to one provider only (the schema forbids them for the other). */
const PROVIDER_OF_FIELD: Record<string, string> = {
  account_id: 'aws',
  role_arn: 'aws',
  external_id: 'aws',
  project_id: 'gcp',
  service_account: 'gcp',
};

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping of keys',
  array: 'a list',
  null: 'empty',
};

/** Turns ajv errors into problems that say what is wrong, where, and how to fix it. */
export function describeSchemaErrors(
  errors: readonly ErrorObject[],
  source: SourceMap,
  data: unknown,
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of groupRequired(errors)) {
    const problem = describe(error, source, data);
    if (problem === undefined) continue;
    const id = `${problem.line}:${problem.column}:${problem.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(problem);
  }
  return problems;
}

function describe(error: ErrorObject, source: SourceMap, data: unknown): Problem | undefined {
  const path = pointerToPath(error.instancePath);
  const name = displayPath(path);
  const params = error.params as Record<string, unknown>;
  const parentSchema = (error.parentSchema ?? {}) as Record<string, unknown>;

  // A propertyNames failure: the error is about a key, not a value.
  if (error.propertyName !== undefined) {
    const hint =
      typeof parentSchema.patternErrorMessage === 'string' ? parentSchema.patternErrorMessage : error.message;
    return {
      ...source.keyAt([...path, error.propertyName]),
      message: `${name} key "${error.propertyName}" ${hint}`,
    };
  }

  switch (error.keyword) {
    case 'if':
    case 'propertyNames':
      // Summaries of errors reported on their own.
      return undefined;

    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((parentSchema.properties ?? {}) as object);
      const where = path.length > 0 ? ` in ${name}` : '';
      return {
        ...source.keyAt([...path, key]),
        message: `unknown key "${key}"${where}; ${suggestKey(key, path, allowed)}`,
      };
    }

    case 'false schema': {
      const key = String(path[path.length - 1]);
      const owner = PROVIDER_OF_FIELD[key];
      const provider = providerOf(data);
      const message =
        owner !== undefined && provider !== undefined
          ? `${name} only applies when cloud.provider is ${owner}, but it is ${provider}; remove it`
          : `${name} is not allowed here; remove it`;
      return { ...source.keyAt(path), message };
    }

    case 'required': {
      const names = (params.missingProperties as string[] | undefined) ?? [String(params.missingProperty)];
      const missing = names.map((n) => `"${n}"`).join(', ');
      const noun = names.length > 1 ? 'keys' : 'key';
      const where = path.length > 0 ? ` in ${name}` : '';
      const provider = providerOf(data);
      const condition =
        error.schemaPath.includes('/then/') && provider !== undefined
          ? ` (required when cloud.provider is ${provider})`
          : '';
      const position = path.length > 0 ? source.keyAt(path) : source.valueAt([]);
      return { ...position, message: `missing required ${noun} ${missing}${where}${condition}` };
    }

    case 'type': {
      const expected = String(params.type);
      const raw = source.rawScalar(path);
      const value = error.data;
      const key = String(path[path.length - 1] ?? '');
      if (value === null || value === undefined) {
        return { ...source.valueAt(path), message: `${name} has no value; expected ${typeName(expected)}` };
      }
      if (expected === 'string' && raw?.plain && typeof value !== 'object') {
        return {
          ...source.valueAt(path),
          message: `${name} must be a string, but YAML reads ${raw.raw} as a ${yamlType(value)}; quote it: ${key}: "${raw.raw}"`,
        };
      }
      return {
        ...source.valueAt(path),
        message: `${name} must be ${typeName(expected)}, not ${describeValue(value)}`,
      };
    }

    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof error.data === 'string' ? closest(error.data, allowed) : undefined;
      const hint = suggestion !== undefined ? `; did you mean "${suggestion}"?` : '';
      return {
        ...source.valueAt(path),
        message: `${name} must be one of ${allowed.join(', ')}; got ${describeValue(error.data)}${hint}`,
      };
    }

    case 'const': {
      const allowed = params.allowedValue;
      const quoted =
        typeof allowed === 'number' && typeof error.data === 'string' && String(allowed) === error.data;
      return {
        ...source.valueAt(path),
        message: quoted
          ? `${name} must be the number ${allowed}, not the string "${error.data}"; remove the quotes`
          : `${name} must be ${JSON.stringify(allowed)}; got ${describeValue(error.data)}`,
      };
    }

    case 'pattern': {
      const hint =
        typeof parentSchema.patternErrorMessage === 'string'
          ? parentSchema.patternErrorMessage
          : `must match ${String(params.pattern)}`;
      return { ...source.valueAt(path), message: `${name} ${hint}; got ${describeValue(error.data)}` };
    }

    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        ...source.valueAt(path),
        message: `${name} must be ${String(params.comparison)} ${String(params.limit)}; got ${describeValue(error.data)}`,
      };

    case 'minLength':
      return { ...source.valueAt(path), message: `${name} must not be empty` };

    case 'maxLength':
      return {
        ...source.valueAt(path),
        message: `${name} is too long: at most ${String(params.limit)} characters are allowed`,
      };

    case 'maxProperties': {
      const count =
        typeof error.data === 'object' && error.data !== null ? Object.keys(error.data).length : 0;
      return {
        ...source.keyAt(path),
        message: `${name} has ${count} entries; at most ${String(params.limit)} are allowed`,
      };
    }

    default:
      return { ...source.valueAt(path), message: `${name} ${error.message ?? 'is invalid'}` };
  }
}

/** Merges the `required` errors of one object (and one schema branch) into a single error. */
function groupRequired(errors: readonly ErrorObject[]): ErrorObject[] {
  const grouped: ErrorObject[] = [];
  const byObject = new Map<string, ErrorObject>();
  for (const error of errors) {
    if (error.keyword !== 'required') {
      grouped.push(error);
      continue;
    }
    const id = `${error.instancePath} ${error.schemaPath}`;
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    const first = byObject.get(id);
    if (first === undefined) {
      const copy = { ...error, params: { ...error.params, missingProperties: [missing] } };
      byObject.set(id, copy);
      grouped.push(copy);
    } else {
      (first.params as { missingProperties: string[] }).missingProperties.push(missing);
    }
  }
  return grouped;
}

/** "did you mean" at the same level, else the same key elsewhere, else the list of allowed keys. */
function suggestKey(key: string, path: readonly Segment[], allowed: readonly string[]): string {
  const nearby = closest(key, allowed);
  if (nearby !== undefined) return `did you mean "${nearby}"?`;
  const elsewhere = schemaPropertyPaths().find(
    (p) => p[p.length - 1] === key && p.length !== path.length + 1,
  );
  if (elsewhere !== undefined)
    return `did you mean ${elsewhere.join('.')}? (it belongs under ${elsewhere.slice(0, -1).join('.') || 'the top level'})`;
  return allowed.length > 0 ? `allowed keys: ${allowed.join(', ')}` : 'no keys are allowed here';
}

export function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function displayPath(path: readonly Segment[]): string {
  return path.length === 0 ? 'the file' : path.join('.');
}

function providerOf(data: unknown): string | undefined {
  const provider = (data as { cloud?: { provider?: unknown } } | null)?.cloud?.provider;
  return typeof provider === 'string' ? provider : undefined;
}

function typeName(type: string): string {
  return type
    .split(',')
    .map((t) => TYPE_NAMES[t] ?? t)
    .join(' or ');
}

function yamlType(value: unknown): string {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'number';
  return typeof value;
}

/** A short, safe rendering of a value for messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

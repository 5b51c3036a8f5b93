import type { Context } from 'hono';
import { REGIONS } from '../../engine/config/regions.js';
import { STATUSES } from '../../engine/report/types.js';
import type { Status } from '../../engine/report/types.js';
import type { EnvironmentFilter } from '../store/types.js';
import { ApiError } from './errors.js';

/** DESIGN.md "Environment file, version 1": the name rule, which is also the file stem. */
export const NAME_PATTERN = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;
/** GitHub `owner/repo`. */
export const REPO_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
export const CLOUDS = ['aws', 'gcp'] as const;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

/** Echoes client input in a message without letting a huge value through. */
export function clip(value: string, max = 64): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

function badParameter(name: string, why: string): ApiError {
  return new ApiError(400, 'invalid_parameter', `query parameter '${clip(name)}' ${why}`);
}

/**
 * Reads the query string against the parameters a route accepts. Unknown or repeated
 * parameters are errors: a typo such as `stauts=ready` must not silently list everything.
 */
export function readQuery(c: Context, allowed: readonly string[]): Record<string, string> {
  if (!c.req.url.includes('?')) return {};
  const all = c.req.queries();
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(all)) {
    if (!allowed.includes(name)) {
      throw badParameter(
        name,
        `is not known here; this route accepts ${allowed.map((a) => `'${a}'`).join(', ')}`,
      );
    }
    if (values.length > 1) throw badParameter(name, 'is given more than once; give it once');
    out[name] = values[0] ?? '';
  }
  return out;
}

/** Longest query string used as it is in a cache key; longer ones are canonicalised first. */
const RAW_KEY_MAX = 512;

/**
 * The request's query as part of a response-cache key. A cached page is found by the query
 * string as sent, so a hit parses nothing; the query is read and validated only when the
 * page is rendered, and an invalid one throws there and is never cached. The raw string
 * determines the parsed parameters, so equal keys mean equal answers. An unusually long one
 * (only possible with redundant escapes) is replaced by its parsed, sorted form, so that keys
 * stay small.
 */
export function queryKey(c: Context): string {
  const url = c.req.url;
  const at = url.indexOf('?');
  if (at < 0) return '';
  const raw = url.slice(at + 1);
  if (raw.length <= RAW_KEY_MAX) return raw;
  return JSON.stringify(Object.entries(c.req.queries()).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw badParameter(name, `is '${clip(value)}'; expected one of ${allowed.join(', ')}`);
}

function matching(name: string, value: string, pattern: RegExp, form: string): string {
  if (pattern.test(value)) return value;
  throw badParameter(name, `is '${clip(value)}'; expected ${form}`);
}

/** `limit`: an integer from 1 to 100, default 50. */
export function readLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  if (!/^[0-9]{1,4}$/.test(value)) {
    throw badParameter('limit', `is '${clip(value)}'; expected a whole number from 1 to ${MAX_LIMIT}`);
  }
  const limit = Number(value);
  if (limit < 1 || limit > MAX_LIMIT) {
    throw badParameter('limit', `is ${limit}; expected a whole number from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

export function readCursor(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(value)) {
    throw badParameter('cursor', 'is not a cursor this API returned; use next_cursor from the previous page');
  }
  return value;
}

/** A region the engine knows (the same list the environment files are validated against). */
function readRegion(value: string, cloud: 'aws' | 'gcp' | undefined): string {
  const clouds = cloud ? [cloud] : CLOUDS;
  if (clouds.some((c) => REGIONS[c].includes(value))) return value;
  const other = CLOUDS.find((c) => REGIONS[c].includes(value));
  if (cloud && other)
    throw badParameter('region', `is '${clip(value)}', a ${other} region, but cloud is '${cloud}'`);
  throw badParameter(
    'region',
    `is '${clip(value)}'; expected a region of ${clouds.join(' or ')}, such as ${clouds.map((c) => REGIONS[c][0]).join(' or ')}`,
  );
}

export interface ListQuery {
  filter: EnvironmentFilter;
  limit: number;
  cursor?: string;
}

export function readListQuery(c: Context): ListQuery {
  const q = readQuery(c, ['status', 'cloud', 'region', 'repo', 'limit', 'cursor']);
  const filter: EnvironmentFilter = {};
  if (q.status !== undefined) filter.status = oneOf<Status>('status', q.status, STATUSES);
  if (q.cloud !== undefined) filter.cloud = oneOf('cloud', q.cloud, CLOUDS);
  if (q.region !== undefined) filter.region = readRegion(q.region, filter.cloud);
  if (q.repo !== undefined)
    filter.repo = matching('repo', q.repo, REPO_PATTERN, 'owner/name, e.g. acme/infra');
  return { filter, limit: readLimit(q.limit), cursor: readCursor(q.cursor) };
}

export function readPageQuery(c: Context): { limit: number; cursor?: string } {
  const q = readQuery(c, ['limit', 'cursor']);
  return { limit: readLimit(q.limit), cursor: readCursor(q.cursor) };
}

/** A path `:name`: a name that breaks the naming rule cannot exist, so it is a plain 404. */
export function readName(c: Context): string {
  const name = c.req.param('name') ?? '';
  if (!NAME_PATTERN.test(name)) throw notFoundEnvironment(name);
  return name;
}

export function notFoundEnvironment(name: string): ApiError {
  return new ApiError(
    404,
    'not_found',
    `no environment named '${clip(name)}' in the index; GET /api/v1/environments lists the known names`,
  );
}

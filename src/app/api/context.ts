import type { Context } from 'hono';
import type { BlankEnv } from 'hono/types';
import type { IndexStore } from '../store/store.js';
import type { StatusChange } from '../store/types.js';
import type { ApiLogger } from './errors.js';
import type { ResponseCache } from './http.js';

/** The read-only store surface the REST API uses. */
export type ApiStore = Pick<
  IndexStore,
  | 'listEnvironments'
  | 'getEnvironment'
  | 'listEvents'
  | 'countByStatus'
  | 'isReadable'
  | 'onStatusChange'
  | 'localChanges'
  | 'externalVersion'
  | 'nowMs'
  | 'staleAt'
  | 'stats'
>;

/** What every sub-app is built from. */
export interface ApiDeps {
  store: ApiStore;
  cache: ResponseCache;
  logger: ApiLogger;
  /** Milliseconds between SSE heartbeat comments. */
  heartbeatMs: number;
  /** Aborting it ends every open watch stream (graceful shutdown). */
  shutdown?: AbortSignal;
  /** Open watch streams allowed at once; more get 503. */
  maxWatchers: number;
  /** Open watch streams now (shared by every watch route). */
  watchers: { open: number };
}

/** Hono environment of the API app: no bindings or variables. */
export type ApiEnv = BlankEnv;

/**
 * Registers `GET path` (a full route pattern) with the bearer check under /api/v1, the error
 * answers and request metrics labelled with `path`; Hono serves HEAD from it too.
 */
export type GetRoute = (path: string, handler: (c: Context<ApiEnv>) => Response | Promise<Response>) => void;

export type { StatusChange };

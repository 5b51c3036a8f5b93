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

/** Hono environment: `endpoint` lets the 405 handler name the route pattern it matched. */
export interface ApiEnv {
  Variables: { endpoint?: string };
}

export type { StatusChange };

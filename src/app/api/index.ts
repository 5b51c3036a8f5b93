import { Hono } from 'hono';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { TrieRouter } from 'hono/router/trie-router';
import type { Metrics } from '../metrics.js';
import { bearerCheck } from './auth.js';
import type { ApiDeps, ApiEnv, ApiStore, GetRoute } from './context.js';
import { environmentRoutes } from './environments.js';
import { errorResponse, makeErrorHandler } from './errors.js';
import type { ApiLogger } from './errors.js';
import { eventRoutes } from './events.js';
import { ResponseCache } from './http.js';
import { serviceRoutes } from './service.js';

export { parseApiTokens } from './auth.js';
export type { ApiLogger } from './errors.js';
export type { ApiStore } from './context.js';

export interface ApiOptions {
  store: ApiStore;
  metrics: Metrics;
  /** Bearer tokens from API_TOKENS (see parseApiTokens). Empty: /api/v1 is open, and a warning is logged. */
  apiTokens: readonly string[];
  logger: ApiLogger;
  /** Monotonic milliseconds, for request durations. Default `performance.now`. */
  clock?: () => number;
  /** Milliseconds between SSE heartbeat comments. Default 15 000. */
  heartbeatMs?: number;
  /** Aborting it ends every open watch stream, so the HTTP server can close (graceful shutdown). */
  shutdown?: AbortSignal;
  /** Watch streams open at once before new ones get 503. Default 1000. */
  maxWatchers?: number;
  /** Rendered responses kept per index version. Default 50 000. */
  cacheEntries?: number;
  /** Bytes of rendered responses kept. Default 64 MiB. */
  cacheBytes?: number;
  /**
   * How often, at most, to ask SQLite whether another process wrote to the index, in
   * milliseconds (default 50). Writes through this process's store are seen at once; a write by
   * another process (`reindex` while the server runs) shows up within this interval.
   */
  externalWritesCheckMs?: number;
}

const UNMATCHED = 'unmatched';

/** Paths under this prefix require a bearer token when API_TOKENS is set. */
const GUARDED = '/api/v1/';

/** Middleware is registered on wildcard paths; routes have concrete patterns. */
const isMiddleware = (route: { path: string }): boolean => route.path.endsWith('*');

/**
 * Request metrics as middleware, for routes the server adds to this app (the webhook endpoint:
 * `app.use(path, requestMetrics(metrics))`). Labelled with the route pattern that answered,
 * never the raw path, which would give metrics an unbounded label set.
 */
export function requestMetrics(
  metrics: Metrics,
  clock: () => number = () => performance.now(),
): MiddlewareHandler {
  return async (c, next) => {
    const started = clock();
    try {
      await next();
    } finally {
      const status = c.error && !c.res ? 500 : c.res.status;
      const route = matchedRoutes(c).find((r) => !isMiddleware(r));
      metrics.observeRequest(
        c.req.method,
        route ? route.path : UNMATCHED,
        status,
        (clock() - started) / 1000,
      );
    }
  };
}

type Handler = (c: Context<ApiEnv>) => Response | Promise<Response>;

/** What `instrument` needs besides the route. */
interface Tools {
  metrics: Metrics;
  clock: () => number;
  auth: (c: Context) => void;
  onError: (err: Error, c: Context) => Response;
}

/**
 * Wraps a handler with what every API request gets: the bearer check under /api/v1, errors
 * turned into their JSON answer, and request metrics labelled `endpoint`. Done inline rather
 * than as middleware: Hono runs a lone synchronous handler directly, so a cached read goes back
 * to the HTTP server in the same tick; any middleware would make every response a promise and
 * cost each request a chain of awaits.
 */
function instrument(endpoint: string, guarded: boolean, handler: Handler, tools: Tools): Handler {
  const { metrics, clock, auth, onError } = tools;
  return (c) => {
    const started = clock();
    const done = (res: Response): Response => {
      metrics.observeRequest(c.req.method, endpoint, res.status, (clock() - started) / 1000);
      return res;
    };
    let res: Response | Promise<Response>;
    try {
      if (guarded) auth(c);
      res = handler(c);
    } catch (err) {
      return done(onError(err as Error, c));
    }
    return res instanceof Promise ? res.catch((err: Error) => onError(err, c)).then(done) : done(res);
  };
}

/**
 * 404 for a path no route serves, 405 (with `Allow`) for a path served only for other methods;
 * under /api/v1 a request without a valid token gets 401 first, so the API's shape is not
 * probed without one. The table of patterns is rebuilt from `app.routes` whenever routes were
 * added, so routes the server adds later (the webhook endpoint) are known too.
 */
function notFoundHandler(app: Hono<ApiEnv>) {
  let table: { size: number; router: TrieRouter<{ path: string; method: string }> } | undefined;
  return (c: Context<ApiEnv>): { endpoint: string; response: () => Response } => {
    const routes = app.routes.filter((r) => !isMiddleware(r));
    if (!table || table.size !== routes.length) {
      const router = new TrieRouter<{ path: string; method: string }>();
      for (const r of routes) router.add('ALL', r.path, { path: r.path, method: r.method });
      table = { size: routes.length, router };
    }
    const [matches] = table.router.match('ALL', c.req.path) as [
      [{ path: string; method: string }, unknown][],
    ];
    if (matches.length > 0) {
      const allowed = [...new Set(matches.map(([r]) => r.method))];
      if (allowed.includes('GET')) allowed.push('HEAD');
      const pattern = matches[0]![0].path;
      return {
        endpoint: pattern,
        response: () =>
          errorResponse(
            c,
            405,
            'method_not_allowed',
            `${c.req.method} is not allowed on ${pattern}; this API is read-only, use ${allowed.join(' or ')}`,
            { Allow: allowed.join(', ') },
          ),
      };
    }
    return {
      endpoint: UNMATCHED,
      response: () =>
        errorResponse(
          c,
          404,
          'not_found',
          `no route ${c.req.method} ${c.req.path.slice(0, 200)}; GET /docs lists the routes of this API`,
        ),
    };
  };
}

/**
 * A number that moves whenever the index may have changed: with every write through this
 * process's connection (checked on every call, it is nearly free), and when another connection
 * committed (checked at most every `checkMs`, as it takes a lock).
 */
function indexVersion(store: ApiStore, clock: () => number, checkMs: number): () => number {
  let external = 0;
  let checkedAt = -Infinity;
  let local = -1;
  let version = 0;
  return () => {
    const now = clock();
    if (now - checkedAt >= checkMs) {
      const seen = store.externalVersion();
      if (seen !== external) version++;
      external = seen;
      checkedAt = now;
    }
    const changes = store.localChanges();
    if (changes !== local) version++;
    local = changes;
    return version;
  };
}

/**
 * The REST API, the metrics endpoint and the status page as one Hono app. The server either
 * serves this app and adds its own routes to it (`app.post('/api/github/webhooks', ...)`), or
 * forwards to it (`server.all('*', (c) => api.fetch(c.req.raw))`); both keep the 404/405 and
 * error handling, which `app.route()` would not carry over.
 */
export function createApiApp(options: ApiOptions): Hono<ApiEnv> {
  const { store, metrics, apiTokens, logger } = options;
  const clock = options.clock ?? (() => performance.now());
  const deps: ApiDeps = {
    store,
    logger,
    cache: new ResponseCache(
      indexVersion(store, clock, options.externalWritesCheckMs ?? 50),
      () => store.nowMs(),
      options.cacheEntries,
      options.cacheBytes,
    ),
    heartbeatMs: options.heartbeatMs ?? 15_000,
    shutdown: options.shutdown,
    maxWatchers: options.maxWatchers ?? 1000,
    watchers: { open: 0 },
  };
  if (apiTokens.length === 0) {
    logger.warn(
      { api_tokens: 0 },
      'API_TOKENS is not set: the REST API under /api/v1 is open to anyone who can reach this server; ' +
        'set API_TOKENS to a comma-separated list of bearer tokens to require one',
    );
  } else {
    const short = apiTokens.filter((t) => t.length < 16).length;
    if (short > 0)
      logger.warn(
        { short_tokens: short },
        `${short} of the API_TOKENS are shorter than 16 characters; use long random tokens`,
      );
    logger.info({ api_tokens: apiTokens.length }, 'the REST API under /api/v1 requires a bearer token');
  }

  const app = new Hono<ApiEnv>();
  const tools: Tools = { metrics, clock, auth: bearerCheck(apiTokens), onError: makeErrorHandler(logger) };
  const get: GetRoute = (path, handler) =>
    app.get(path, instrument(path, path.startsWith(GUARDED), handler, tools));
  serviceRoutes(get, deps, metrics);
  environmentRoutes(get, deps);
  eventRoutes(get, deps);
  const unmatched = notFoundHandler(app);
  app.notFound((c) => {
    const { endpoint, response } = unmatched(c);
    return instrument(endpoint, c.req.path.startsWith(GUARDED), response, tools)(c) as Response;
  });
  app.onError(tools.onError);
  return app;
}

/**
 * The one server process: Hono on PORT serves the REST API, metrics and status page from
 * the index, and hands `POST /api/github/webhooks` to Probot after checking the signature.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Webhooks, type EmitterWebhookEvent } from '@octokit/webhooks';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import pino, { type Logger } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApiApp, requestMetrics } from './api/index.js';
import { createEngine, type AppEngine } from './engine.js';
import type { GitHub } from './github.js';
import { createAppFunction, createServices, type AppServices } from './handlers.js';
import { createMetrics, type DeliveryResult, type Metrics } from './metrics.js';
import { payloadProblem } from './payloads.js';
import { GITHUB_VARIABLES, type Settings } from './settings.js';
import type { ServiceDeps } from './services/context.js';
import { indexLocalDirectory } from './services/indexer.js';
import { ReportService } from './services/reports.js';
import { StaleChecker } from './services/stale.js';
import { IndexStore } from './store/store.js';

export const WEBHOOK_PATH = '/api/github/webhooks';
/** Delivery ids are kept for 30 days: GitHub redelivers only recent deliveries. */
const PRUNE_AFTER_MS = 30 * 86_400_000;

export interface ServerDeps {
  logger?: Logger;
  now?: () => Date;
  /** Octokit class for Probot (tests turn retry and throttling off). */
  Octokit?: typeof ProbotOctokit;
  engine?: AppEngine;
  /** Collect Node process metrics (default true; tests turn it off). */
  processMetrics?: boolean;
}

export interface AppServer {
  readonly app: ReturnType<typeof createApiApp>;
  readonly store: IndexStore;
  readonly metrics: Metrics;
  readonly probot: Probot | null;
  readonly services: AppServices;
  readonly stale: StaleChecker;
  readonly logger: Logger;
  /** Starts listening on `settings.port` (0 picks a free one) and the timers. */
  listen(): Promise<{ port: number }>;
  /** Stops accepting, lets in-flight deliveries finish, stops timers and closes the index. */
  close(): Promise<void>;
}

export function createLogger(
  settings: Pick<Settings, 'logLevel'>,
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: settings.logLevel,
      base: { service: 'beta9-provisioner' },
      // Belt and braces: a key or token must never reach a log line.
      redact: {
        paths: ['privateKey', '*.privateKey', 'token', '*.token', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

type ErrorCode =
  | 'github_app_not_configured'
  | 'shutting_down'
  | 'bad_request'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'bad_signature'
  | 'bad_payload'
  | 'handler_failed';

function fail(
  c: Context,
  status: 400 | 401 | 413 | 415 | 500 | 503,
  code: ErrorCode,
  message: string,
): Response {
  return c.json({ error: { code, message } }, status);
}

export async function createServer(settings: Settings, deps: ServerDeps = {}): Promise<AppServer> {
  const logger = deps.logger ?? createLogger(settings);
  const now = deps.now ?? (() => new Date());
  const store = new IndexStore(settings.databasePath, { staleAfterMs: settings.staleAfterMs, now });
  const metrics = createMetrics(store, { processMetrics: deps.processMetrics ?? true });
  const engine = deps.engine ?? createEngine();
  const github = settings.github;

  const probot = github
    ? new Probot({
        appId: github.appId,
        privateKey: github.privateKey,
        secret: github.webhookSecret,
        baseUrl: github.baseUrl,
        log: logger.child({ component: 'probot' }),
        Octokit: deps.Octokit ?? ProbotOctokit,
      })
    : null;

  const serviceDeps: ServiceDeps = {
    store,
    engine,
    log: logger,
    now,
    metrics,
    settings,
    auth: async (installationId) => {
      if (!probot) throw new Error(`no GitHub App is configured: set ${GITHUB_VARIABLES.join(', ')}`);
      return (await probot.auth(installationId ?? undefined)) as GitHub;
    },
  };
  const reports = new ReportService(serviceDeps);
  const stale = new StaleChecker(serviceDeps);
  const outcomes = new Map<string, DeliveryResult>();
  const services = createServices(serviceDeps, reports);
  services.onOutcome = (id, result) => outcomes.set(id, result);
  if (probot) await probot.load(createAppFunction(services));

  if (!github) {
    const result = indexLocalDirectory(serviceDeps, settings.environmentsDir, logger);
    logger.warn(
      { needs: GITHUB_VARIABLES, indexed: result.indexed, skipped: result.skipped },
      `No GitHub App configured: serving ${result.indexed.length} environment(s) from ${settings.environmentsDir} as pending. ` +
        `To validate pull requests and track status from GitHub, set ${GITHUB_VARIABLES.join(', ')} (see docs/github-app.md).`,
    );
  }

  const shutdown = new AbortController();
  const verifier = github ? new Webhooks({ secret: github.webhookSecret }) : null;
  const inFlight = new Set<Promise<unknown>>();
  let closing = false;

  const app = createApiApp({
    store,
    metrics,
    apiTokens: settings.apiTokens,
    logger,
    shutdown: shutdown.signal,
  });
  app.use(WEBHOOK_PATH, requestMetrics(metrics));
  app.post(
    WEBHOOK_PATH,
    bodyLimit({
      maxSize: settings.webhookBodyLimit,
      onError: (c) => {
        metrics.recordDelivery(c.req.header('x-github-event') ?? 'unknown', 'rejected');
        return fail(
          c,
          413,
          'payload_too_large',
          `webhook bodies are limited to ${settings.webhookBodyLimit} bytes`,
        );
      },
    }),
    async (c) => {
      const event = c.req.header('x-github-event');
      const id = c.req.header('x-github-delivery');
      const signature = c.req.header('x-hub-signature-256');
      const reject = (status: 400 | 401 | 415, code: ErrorCode, message: string): Response => {
        metrics.recordDelivery(event ?? 'unknown', 'rejected');
        logger.warn({ delivery: id, event, status }, `Rejected webhook delivery: ${message}`);
        return fail(c, status, code, message);
      };
      if (!probot || !verifier) {
        return fail(
          c,
          503,
          'github_app_not_configured',
          `this server has no GitHub App configured; set ${GITHUB_VARIABLES.join(', ')} and restart`,
        );
      }
      if (closing)
        return fail(c, 503, 'shutting_down', 'the server is shutting down; GitHub can redeliver later');
      if (!event || !id)
        return reject(400, 'bad_request', 'the X-GitHub-Event and X-GitHub-Delivery headers are required');
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/json\b/i.test(type)) {
        return reject(
          415,
          'unsupported_media_type',
          `content type '${type}' is not application/json; set the App's webhook content type to application/json`,
        );
      }
      if (!signature) return reject(401, 'bad_signature', 'the X-Hub-Signature-256 header is missing');
      const body = await c.req.text();
      if (!body || !(await verifier.verify(body, signature).catch(() => false))) {
        return reject(401, 'bad_signature', 'the signature does not match the body; check WEBHOOK_SECRET');
      }
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        return reject(400, 'bad_request', 'the body is not valid JSON');
      }
      const problem = payloadProblem(event, payload);
      if (problem) return reject(400, 'bad_payload', problem);

      const work = probot.receive({ id, name: event, payload } as EmitterWebhookEvent);
      inFlight.add(work);
      try {
        await work;
        const result = outcomes.get(id) ?? 'ignored';
        metrics.recordDelivery(event, result);
        return c.json({ ok: true, delivery: id, result }, 200);
      } catch (error) {
        metrics.recordDelivery(event, 'failed');
        logger.error(
          { delivery: id, event, err: error },
          'Webhook handler failed; redeliver it from the App settings to retry',
        );
        return fail(
          c,
          500,
          'handler_failed',
          `delivery ${id} failed; see the server log. Redelivering it is safe.`,
        );
      } finally {
        inFlight.delete(work);
        outcomes.delete(id);
      }
    },
  );

  let server: ServerType | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  const startPruning = (): void => {
    const prune = (): void => {
      const before = new Date(now().getTime() - PRUNE_AFTER_MS).toISOString();
      const removed = store.prune(before);
      if (removed > 0) logger.info({ removed, before }, 'Pruned old delivery ids and run endings');
    };
    prune();
    pruneTimer = setInterval(prune, 3_600_000);
    pruneTimer.unref();
  };
  return {
    app,
    store,
    metrics,
    probot,
    services,
    stale,
    logger,
    listen: () =>
      new Promise((resolve, reject) => {
        const s = serve(
          { fetch: app.fetch, port: settings.port, hostname: settings.host },
          (info: AddressInfo) => {
            logger.info(
              { port: info.port, database: settings.databasePath, github: Boolean(github) },
              `Listening on port ${info.port}`,
            );
            stale.start();
            if (probot) reports.start();
            startPruning();
            resolve({ port: info.port });
          },
        );
        s.once('error', reject);
        server = s;
      }),
    close: async () => {
      if (closing) return;
      closing = true;
      logger.info(
        { in_flight: inFlight.size },
        'Shutting down: no new deliveries, finishing the ones in flight',
      );
      shutdown.abort();
      const closed = server
        ? new Promise<void>((resolve) => server!.close(() => resolve()))
        : Promise.resolve();
      if (server && 'closeIdleConnections' in server) server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      if (server && 'closeIdleConnections' in server) server.closeIdleConnections();
      stale.stop();
      if (pruneTimer) clearInterval(pruneTimer);
      await reports.stop();
      await closed;
      store.close();
      logger.info('Index closed; bye');
    },
  };
}

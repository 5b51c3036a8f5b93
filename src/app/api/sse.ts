import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { SSEMessage } from 'hono/streaming';
import type { StatusChange } from '../store/types.js';
import type { ApiDeps } from './context.js';
import { ApiError } from './errors.js';

/** Clients reconnect after this many milliseconds (EventSource honours `retry:`). */
const RETRY_MS = 3000;

export interface WatchOptions {
  /** The first event, written once the subscription is live so no change falls in between. */
  initial?: () => SSEMessage | undefined;
  /** The event for one committed status change, or undefined to skip it. */
  onChange: (change: StatusChange) => SSEMessage | undefined;
}

/**
 * A Server-Sent Events stream over the index's status changes. Subscribes before the initial
 * event is rendered (nothing is lost between the two), writes a heartbeat comment every
 * `heartbeatMs` so proxies keep the connection, and unsubscribes when the client goes away,
 * the request is aborted or the server shuts down.
 */
export function watch(c: Context, deps: ApiDeps, options: WatchOptions): Response {
  // HEAD gets the headers only: Hono drops a HEAD body without cancelling it, which would
  // leave a subscription behind for every HEAD request.
  if (c.req.method === 'HEAD') {
    return c.body(null, 200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  }
  if (deps.watchers.open >= deps.maxWatchers) {
    throw new ApiError(
      503,
      'unavailable',
      `this server already serves ${deps.maxWatchers} watch streams; retry later, or watch /api/v1/events/watch once instead of one stream per environment`,
      { 'Retry-After': '30' },
    );
  }
  deps.watchers.open++;
  return streamSSE(c, async (stream) => {
    let closed = false;
    let release: () => void = () => {};
    const ended = new Promise<void>((resolve) => {
      release = resolve;
    });
    const end = (): void => {
      closed = true;
      release();
    };
    stream.onAbort(end);
    c.req.raw.signal?.addEventListener('abort', end, { once: true });
    deps.shutdown?.addEventListener('abort', end, { once: true });
    if (deps.shutdown?.aborted) end();

    const unsubscribe = deps.store.onStatusChange((change) => {
      if (closed) return;
      try {
        const message = options.onChange(change);
        if (message) void stream.writeSSE(message);
      } catch (err) {
        deps.logger.error({ err, environment: change.environment }, 'could not render a watch event');
      }
    });
    const heartbeat = setInterval(() => {
      if (!closed) void stream.write(': heartbeat\n\n');
    }, deps.heartbeatMs);
    heartbeat.unref?.();
    try {
      const first = options.initial?.();
      await stream.writeSSE({ ...(first ?? { event: 'ready', data: '{}' }), retry: RETRY_MS });
      await ended;
    } finally {
      deps.watchers.open--;
      clearInterval(heartbeat);
      unsubscribe();
      c.req.raw.signal?.removeEventListener('abort', end);
      deps.shutdown?.removeEventListener('abort', end);
    }
  });
}

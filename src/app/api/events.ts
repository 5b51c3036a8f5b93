import type { SSEMessage } from 'hono/streaming';
import type { StatusChange } from '../store/types.js';
import type { ApiDeps, GetRoute } from './context.js';
import { readQuery } from './query.js';
import { watch } from './sse.js';
import { safeJson, toEvent, toSummary } from './view.js';

/**
 * `/api/v1/events/watch`: every environment's status changes on one stream, which is what
 * the status page subscribes to (one connection per page instead of one per environment,
 * which would run into the browser's six-connections-per-host limit).
 */
export function eventRoutes(get: GetRoute, deps: ApiDeps): void {
  // Rendered once per change, however many pages are watching.
  const rendered = new WeakMap<StatusChange, SSEMessage | undefined>();
  const renderChange = (change: StatusChange): SSEMessage | undefined => {
    if (rendered.has(change)) return rendered.get(change);
    const record = deps.store.getEnvironment(change.environment);
    const message = record && {
      event: 'status',
      id: String(change.event.id),
      data: safeJson({ environment: toSummary(record), event: toEvent(change.event) }),
    };
    rendered.set(change, message);
    return message;
  };

  get('/api/v1/events/watch', (c) => {
    readQuery(c, []);
    return watch(c, deps, { onChange: renderChange });
  });
}

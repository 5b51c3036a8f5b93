import { InvalidCursorError } from '../store/store.js';
import type { EnvironmentRecord } from '../store/types.js';
import { renderBadge } from '../ui/badge.js';
import type { ApiDeps, GetRoute } from './context.js';
import { ApiError } from './errors.js';
import { SVG_TYPE, render, renderJson, send } from './http.js';
import { notFoundEnvironment, queryKey, readListQuery, readName, readPageQuery, readQuery } from './query.js';
import { watch } from './sse.js';
import { safeJson, toEnvironment, toEvent, toSummary } from './view.js';

/** Turns the store's cursor error into a 400 that names the parameter. */
function paged<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof InvalidCursorError) {
      throw new ApiError(
        400,
        'invalid_parameter',
        "query parameter 'cursor' is not a cursor this API returned; use next_cursor from the previous page, or leave it out to start again",
      );
    }
    throw err;
  }
}

/** `/api/v1/environments`: the list, one environment, its history, its watch stream and its badge. */
export function environmentRoutes(get: GetRoute, deps: ApiDeps): void {
  const { store, cache } = deps;

  /** The first moment one of `records` turns stale, which ends a rendering that shows them. */
  const firstStaleAt = (records: EnvironmentRecord[]): number | undefined => {
    let first: number | undefined;
    for (const record of records) {
      const at = store.staleAt(record);
      if (at !== undefined && (first === undefined || at < first)) first = at;
    }
    return first;
  };

  const requireEnvironment = (name: string) => {
    const record = store.getEnvironment(name);
    if (!record) throw notFoundEnvironment(name);
    return record;
  };

  const base = '/api/v1/environments';
  get(base, (c) => {
    const rendered = cache.get(`list?${queryKey(c)}`, () => {
      const { filter, limit, cursor } = readListQuery(c);
      const page = paged(() => store.listEnvironments(filter, limit, cursor, { documents: false }));
      return renderJson(
        { items: page.items.map(toSummary), next_cursor: page.next_cursor },
        firstStaleAt(page.items),
      );
    });
    return send(c, rendered);
  });
  get(`${base}/:name`, (c) => {
    readQuery(c, []);
    const name = readName(c);
    const rendered = cache.get(`env|${name}`, () => {
      const record = requireEnvironment(name);
      return renderJson(toEnvironment(record), store.staleAt(record));
    });
    return send(c, rendered);
  });
  get(`${base}/:name/events`, (c) => {
    const name = readName(c);
    const rendered = cache.get(`events|${name}?${queryKey(c)}`, () => {
      const { limit, cursor } = readPageQuery(c);
      requireEnvironment(name);
      const page = paged(() => store.listEvents(name, limit, cursor));
      return renderJson({ items: page.items.map(toEvent), next_cursor: page.next_cursor });
    });
    return send(c, rendered);
  });
  get(`${base}/:name/badge.svg`, (c) => {
    readQuery(c, []);
    const name = readName(c);
    const rendered = cache.get(`badge|${name}`, () => {
      const record = requireEnvironment(name);
      return render(
        renderBadge(name, record.status, { stale: record.stale }),
        SVG_TYPE,
        store.staleAt(record),
      );
    });
    return send(c, rendered);
  });
  get(`${base}/:name/watch`, (c) => {
    readQuery(c, []);
    const name = readName(c);
    requireEnvironment(name);
    const current = () => {
      const record = store.getEnvironment(name);
      return record ? toEnvironment(record) : undefined;
    };
    return watch(c, deps, {
      initial: () => {
        const environment = current();
        return environment && { event: 'status', data: safeJson({ environment, event: null }) };
      },
      onChange: (change) => {
        if (change.environment !== name) return undefined;
        const environment = current();
        if (!environment) return undefined;
        return {
          event: 'status',
          id: String(change.event.id),
          data: safeJson({ environment, event: toEvent(change.event) }),
        };
      },
    });
  });
}

import type { Metrics } from '../metrics.js';
import { renderDocs } from '../ui/docs.js';
import { STATUS_PAGE_CSP, STATUS_PAGE_HTML } from '../ui/page.js';
import type { ApiDeps, GetRoute } from './context.js';
import { errorResponse } from './errors.js';
import { HTML_TYPE, JSON_TYPE, render, renderJson, send } from './http.js';
import { OPENAPI } from './openapi.js';

/** `/health`, `/metrics`, `/openapi.json`, `/docs` and the status page `/`. */
export function serviceRoutes(get: GetRoute, deps: ApiDeps, metrics: Metrics): void {
  // Static documents are rendered once; their ETags never change while the process runs.
  const openapi = render(JSON.stringify(OPENAPI, null, 2), JSON_TYPE);
  const docs = render(renderDocs(OPENAPI as unknown as Record<string, unknown>), HTML_TYPE);
  const page = render(STATUS_PAGE_HTML, HTML_TYPE);
  const healthy = renderJson({ status: 'ok' });

  get('/health', (c) => {
    if (!deps.store.isReadable()) {
      return errorResponse(
        c,
        503,
        'unavailable',
        'the index database cannot be read; check DATABASE_PATH and the disk',
      );
    }
    return send(c, healthy, 'no-store');
  });
  get('/metrics', async (c) => send(c, render(await metrics.render(), metrics.contentType), 'no-store'));
  get('/openapi.json', (c) => send(c, openapi));
  get('/docs', (c) => send(c, docs));
  get('/', (c) =>
    send(c, page, 'no-cache', {
      'Content-Security-Policy': STATUS_PAGE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    }),
  );
}

import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { safeJson } from './view.js';

/** A rendered read: the bytes, their weak ETag and their media type. */
export interface Rendered {
  body: string;
  etag: string;
  contentType: string;
  /**
   * `body` as UTF-8, filled on the first send. A cached response is sent many times; handing
   * the server bytes skips measuring and encoding the string again on every request, which
   * is most of the cost of serving a cached list page (tens of kilobytes).
   * ResponseCache budgets the string only, so what it holds is about twice its `maxBytes`.
   */
  bytes?: Uint8Array<ArrayBuffer>;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';
export const SVG_TYPE = 'image/svg+xml; charset=utf-8';

/** Weak ETag of a body: the representation is what is compared, not the bytes on the wire. */
export function weakEtag(body: string): string {
  return `W/"${createHash('sha1').update(body).digest('base64url')}"`;
}

export function render(body: string, contentType: string): Rendered {
  return { body, etag: weakEtag(body), contentType };
}

/** Renders through safeJson, the API's last check for credentials. */
export function renderJson(value: unknown): Rendered {
  return render(safeJson(value), JSON_TYPE);
}

/** RFC 9110 weak comparison of `If-None-Match` against one ETag (`*` matches anything). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = etag.replace(/^W\//, '');
  for (const candidate of header.split(',')) {
    const tag = candidate.trim();
    if (tag === '*' || tag.replace(/^W\//, '') === opaque) return true;
  }
  return false;
}

/**
 * Answers a read: 304 without a body when the client's copy is current, otherwise the body.
 * `no-cache` lets clients keep a copy but makes them revalidate, which the ETag makes cheap.
 */
export function send(c: Context, rendered: Rendered, cacheControl = 'no-cache'): Response {
  const headers = { ETag: rendered.etag, 'Cache-Control': cacheControl };
  if (etagMatches(c.req.header('If-None-Match'), rendered.etag)) {
    return c.body(null, 304, headers);
  }
  rendered.bytes ??= Buffer.from(rendered.body, 'utf8');
  return c.body(rendered.bytes, 200, { ...headers, 'Content-Type': rendered.contentType });
}

/**
 * Rendered responses keyed by a canonical request key, valid for one version of the index.
 * The index changes only when a webhook lands, so reads repeat far more often than writes:
 * when `version()` moves, everything is dropped at once. Bounded in entries and in bytes (least
 * recently used goes first), so a scan over many names or pages cannot grow memory.
 */
/** An entry's share of the budget: its string plus the encoded copy `send()` attaches to it. */
function footprint(rendered: Rendered): number {
  return rendered.body.length * 2;
}

export class ResponseCache {
  private readonly entries = new Map<string, Rendered>();
  private version: string | undefined;
  private bytes = 0;

  constructor(
    private readonly currentVersion: () => string,
    readonly maxEntries = 2000,
    readonly maxBytes = 32 * 2 ** 20,
  ) {}

  /** The cached rendering of `key`, or `build()` rendered and remembered. */
  get(key: string, build: () => Rendered): Rendered {
    const version = this.currentVersion();
    if (version !== this.version) {
      this.entries.clear();
      this.bytes = 0;
      this.version = version;
    }
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert to mark it most recently used (Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const rendered = build();
    // build() may have read a newer index than `version`; only cache when nothing moved.
    if (this.currentVersion() === version && footprint(rendered) <= this.maxBytes) {
      this.entries.set(key, rendered);
      this.bytes += footprint(rendered);
      for (const [oldest, entry] of this.entries) {
        if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
        this.entries.delete(oldest);
        this.bytes -= footprint(entry);
      }
    }
    return rendered;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Memory held, counting each entry's string and the UTF-8 bytes `send()` keeps beside it. */
  get heldBytes(): number {
    return this.bytes;
  }
}

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { safeJson } from './view.js';

/** A rendered read: the bytes on the wire, their weak ETag and their media type. */
export interface Rendered {
  /** The body as UTF-8, encoded once: a cached response is sent many times. */
  bytes: Uint8Array<ArrayBuffer>;
  etag: string;
  contentType: string;
  /**
   * When the rendering stops being true without any write to the index (milliseconds since the
   * epoch, by the store's clock): the moment an environment shown in it turns stale.
   */
  expiresAt?: number;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';
export const SVG_TYPE = 'image/svg+xml; charset=utf-8';

/** Weak ETag of a body: the representation is what is compared, not the bytes on the wire. */
export function weakEtag(body: string): string {
  return `W/"${createHash('sha1').update(body).digest('base64url')}"`;
}

export function render(body: string, contentType: string, expiresAt?: number): Rendered {
  return { bytes: Buffer.from(body, 'utf8'), etag: weakEtag(body), contentType, expiresAt };
}

/** Renders through safeJson, the API's last check for credentials. */
export function renderJson(value: unknown, expiresAt?: number): Rendered {
  return render(safeJson(value), JSON_TYPE, expiresAt);
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
 * A request header by its lower-case name. Behind @hono/node-server the headers Node already
 * parsed are read directly: going through `c.req.header()` makes a WHATWG `Headers` of the
 * whole request on each request, a measurable share of a cached read.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming?.headers) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Answers a read: 304 without a body when the client's copy is current, otherwise the body.
 * `no-cache` lets clients keep a copy but makes them revalidate, which the ETag makes cheap.
 * The Response is built with plain-object headers, which @hono/node-server writes out as they
 * are (`c.body()` with several headers would build a `Headers` only for it to be read back).
 */
export function send(
  c: Context,
  rendered: Rendered,
  cacheControl = 'no-cache',
  extraHeaders?: Record<string, string>,
): Response {
  const headers: Record<string, string> = {
    ETag: rendered.etag,
    'Cache-Control': cacheControl,
    ...extraHeaders,
  };
  if (etagMatches(requestHeader(c, 'if-none-match'), rendered.etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers['Content-Type'] = rendered.contentType;
  return new Response(rendered.bytes, { status: 200, headers });
}

/**
 * Rendered responses keyed by a canonical request key, valid for one version of the index.
 * The index changes only when a webhook lands, so reads repeat far more often than writes:
 * when `version()` moves, everything is dropped at once. An entry also ends at its own
 * `expiresAt` (`now()` is the store's clock). Bounded in entries and in bytes, so a scan over
 * many names or pages cannot grow memory past the budget; the default budget holds every item
 * and list page of an index of about 10,000 environments.
 *
 * Eviction is CLOCK, the usual approximation of least-recently-used: a hit only marks its entry
 * as used, and the eviction sweep gives a used entry a second chance (moves it behind the
 * others) instead of taking it. Moving an entry on every hit, as an exact LRU in a Map does,
 * made the hottest entry the most expensive one to serve: deleting and re-inserting one key
 * thousands of times a second in a Map of ten thousand entries measurably cut throughput.
 */
export class ResponseCache {
  private readonly entries = new Map<string, { rendered: Rendered; used: boolean }>();
  private version: number | undefined;
  private bytes = 0;

  constructor(
    private readonly currentVersion: () => number,
    private readonly now: () => number,
    readonly maxEntries = 50_000,
    readonly maxBytes = 64 * 2 ** 20,
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
      const { expiresAt } = hit.rendered;
      if (expiresAt === undefined || this.now() < expiresAt) {
        hit.used = true;
        return hit.rendered;
      }
      this.entries.delete(key);
      this.bytes -= hit.rendered.bytes.byteLength;
    }
    const rendered = build();
    // build() may have read a newer index than `version`; only cache when nothing moved.
    const size = rendered.bytes.byteLength;
    if (this.currentVersion() === version && size <= this.maxBytes) {
      this.entries.set(key, { rendered, used: false });
      this.bytes += size;
      this.evict();
    }
    return rendered;
  }

  /** Takes entries from the oldest end until within budget, sparing used ones once each. */
  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) return;
      this.entries.delete(key);
      if (entry.used) {
        entry.used = false;
        this.entries.set(key, entry); // behind the others; the sweep reaches it again last
      } else {
        this.bytes -= entry.rendered.bytes.byteLength;
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes of the bodies held. */
  get heldBytes(): number {
    return this.bytes;
  }
}

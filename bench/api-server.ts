/**
 * Child process of bench/api.ts: serves the REST API over an existing index, and a bare Hono
 * "hello" route on a second port for the baseline, both on 127.0.0.1. Talks to the parent over
 * IPC: sends its ports once listening, answers `memory` with process.memoryUsage() (after a GC
 * when --expose-gc is on).
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApiApp } from '../src/app/api/index.js';
import { createMetrics } from '../src/app/metrics.js';
import { IndexStore } from '../src/app/store/store.js';

const dbPath = process.argv[2];
if (!dbPath || !process.send) {
  console.error('usage: forked by bench/api.ts with the index path as its argument');
  process.exit(2);
}

const store = new IndexStore(dbPath);
const metrics = createMetrics(store);
const quiet = { info() {}, warn() {}, error: (obj: object, msg?: string) => console.error(msg, obj) };
const api = createApiApp({ store, metrics, apiTokens: ['bench-token-0123456789abcdef'], logger: quiet });
// The same bytes the item route sends, from a bare route: separates payload cost from API cost.
const sample = await (
  await api.request('/api/v1/environments/env-04242', {
    headers: { authorization: 'Bearer bench-token-0123456789abcdef' },
  })
).text();
const hello = new Hono()
  .get('/', (c) => c.text('hello'))
  .get('/same-bytes', (c) => c.body(sample, 200, { 'Content-Type': 'application/json; charset=utf-8' }));

const listen = (fetch: (req: Request) => Response | Promise<Response>) =>
  new Promise<number>((resolve) => {
    serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve(info.port));
  });

const [apiPort, helloPort] = await Promise.all([listen(api.fetch), listen(hello.fetch)]);
process.send({ type: 'ready', apiPort, helloPort });

process.on('message', (message: { type: string }) => {
  if (message.type === 'memory') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send!({ type: 'memory', usage: process.memoryUsage() });
  }
});
process.on('disconnect', () => {
  store.close();
  process.exit(0);
});

/**
 * Child process of bench/api.ts: serves the REST API over an existing index, bare Hono routes
 * on a second port for the baselines, and the API without its response cache on a third, all
 * on 127.0.0.1. Talks to the parent over
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
const apiTokens = ['bench-token-0123456789abcdef'];
const api = createApiApp({ store, metrics, apiTokens, logger: quiet });
// The same API with no response cache: every read goes to SQLite and renders (the cost of a miss).
const uncached = createApiApp({ store, metrics, apiTokens, logger: quiet, cacheEntries: 0 });
// The bytes the item and list routes send, from bare routes: payload cost without the API's.
const bytesOf = async (path: string) =>
  Buffer.from(
    await (await api.request(path, { headers: { authorization: `Bearer ${apiTokens[0]}` } })).arrayBuffer(),
  );
const item = await bytesOf('/api/v1/environments/env-04242');
const page = await bytesOf('/api/v1/environments?limit=50');
// A fresh headers object per response: @hono/node-server adds Content-Length to the one it gets.
const json = () => ({ 'Content-Type': 'application/json; charset=utf-8' });
const hello = new Hono()
  .get('/', (c) => c.text('hello'))
  .get('/item-bytes', (c) => c.body(item, 200, json()))
  .get('/page-bytes', (c) => c.body(page, 200, json()));

const listen = (fetch: (req: Request) => Response | Promise<Response>) =>
  new Promise<number>((resolve) => {
    serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve(info.port));
  });

const [apiPort, helloPort, uncachedPort] = await Promise.all([
  listen(api.fetch),
  listen(hello.fetch),
  listen(uncached.fetch),
]);
process.send({ type: 'ready', apiPort, helloPort, uncachedPort });

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

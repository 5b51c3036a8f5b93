import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { harness, record, setStatus } from './helpers.js';
import type { Harness } from './helpers.js';

/**
 * The status page in a real headless browser: Debian's chromium driven by playwright-core.
 * Skipped only when chromium is not installed (.ci/run installs it).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe.skipIf(!existsSync(CHROMIUM))('status page in chromium', () => {
  let profile: string;
  let browser: BrowserContext;
  let server: ServerType | undefined;
  let h: Harness;
  let shutdown: AbortController;

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'beta9-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
    });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  afterEach(async () => {
    // Pages first, or their EventSource would reconnect to a closing server.
    for (const page of browser.pages()) await page.close();
    shutdown.abort();
    const closing = server;
    server = undefined;
    if (closing) {
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        (closing as import('node:http').Server).closeAllConnections?.();
      });
    }
    h?.store.close();
  });

  async function start(options: Parameters<typeof harness>[0] = {}): Promise<string> {
    shutdown = new AbortController();
    h = harness({ heartbeatMs: 1000, shutdown: shutdown.signal, ...options }, [
      record('alpha', {
        status: 'ready',
        cloud: 'aws',
        region: 'us-east-1',
        outputs: { vpc_id: 'vpc-0abc', cluster_endpoint: 'https://eks.example.com' },
        last_pr: { number: 12, url: 'https://github.com/acme/infra/pull/12' },
        last_run_url: 'https://github.com/acme/infra/actions/runs/99',
        last_commit: 'deadbeefcafe',
      }),
      record('bravo', {
        status: 'failed',
        cloud: 'gcp',
        region: 'europe-west4',
        account: 'acme-ml',
        error_message: 'apply failed <img src=x onerror="window.__xss=1">',
      }),
    ]);
    const address = await new Promise<AddressInfo>((resolve) => {
      server = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolve(info));
    });
    return `http://127.0.0.1:${address.port}/`;
  }

  const badge = (page: Page, name: string) => page.locator(`#env-${name} .badge`);

  it('shows the environments and a status change arrives without a reload', async () => {
    const url = await start();
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url);

    await expect.poll(() => badge(page, 'alpha').textContent(), { timeout: 10_000 }).toBe('ready');
    expect(await badge(page, 'bravo').textContent()).toBe('failed');
    await expect.poll(() => page.locator('#live').textContent(), { timeout: 10_000 }).toBe('live');
    const alpha = page.locator('#env-alpha');
    expect(await alpha.textContent()).toContain('us-east-1');
    expect(await alpha.locator('a', { hasText: '#12' }).getAttribute('href')).toBe(
      'https://github.com/acme/infra/pull/12',
    );
    expect(await alpha.locator('a', { hasText: 'run' }).getAttribute('href')).toBe(
      'https://github.com/acme/infra/actions/runs/99',
    );
    // Outputs sit behind a click.
    expect(await alpha.locator('dd', { hasText: 'vpc-0abc' }).isVisible()).toBe(false);
    await alpha.locator('summary').click();
    expect(await alpha.locator('dd', { hasText: 'vpc-0abc' }).isVisible()).toBe(true);

    // API values are text, never markup.
    expect(await page.locator('#env-bravo .error').textContent()).toBe(
      'apply failed <img src=x onerror="window.__xss=1">',
    );
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // Readable on a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    await page.evaluate(() => ((window as unknown as { __same?: boolean }).__same = true));
    setStatus(h.store, 'alpha', 'destroy_queued', new Date().toISOString());
    await expect.poll(() => badge(page, 'alpha').textContent(), { timeout: 10_000 }).toBe('destroy queued');
    // A new environment appears too, in name order.
    h.store.putEnvironment(record('aardvark', { status: 'pending' }));
    setStatus(h.store, 'aardvark', 'queued', new Date().toISOString());
    await expect.poll(() => badge(page, 'aardvark').textContent(), { timeout: 10_000 }).toBe('queued');
    expect(await page.locator('article.env').evaluateAll((els) => els.map((e) => e.id))).toEqual([
      'env-aardvark',
      'env-alpha',
      'env-bravo',
    ]);
    // The outputs stayed open across the update, and the page never reloaded.
    expect(await alpha.locator('details').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
  });

  it('asks for a token when API_TOKENS is set and then updates live over fetch', async () => {
    const url = await start({ apiTokens: ['browser-test-token-0123456789'] });
    const page = await browser.newPage();
    await page.goto(url);
    await page.locator('#auth').waitFor({ state: 'visible' });
    expect(await page.locator('#auth-message').textContent()).toContain('requires an API token');
    await page.fill('#token', 'browser-test-token-0123456789');
    await page.click('#auth button');
    await expect.poll(() => badge(page, 'alpha').textContent(), { timeout: 10_000 }).toBe('ready');
    await expect.poll(() => page.locator('#live').textContent(), { timeout: 10_000 }).toBe('live');
    setStatus(h.store, 'bravo', 'queued', new Date().toISOString());
    await expect.poll(() => badge(page, 'bravo').textContent(), { timeout: 10_000 }).toBe('queued');
  });
});

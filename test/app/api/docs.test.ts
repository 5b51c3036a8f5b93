import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { OPENAPI } from '../../../src/app/api/openapi.js';
import { renderBadge } from '../../../src/app/ui/badge.js';
import { renderDocs } from '../../../src/app/ui/docs.js';
import { harness, json } from './helpers.js';
import type { Harness } from './helpers.js';

let h: Harness;
afterEach(() => h?.store.close());

const served = (h: Harness) =>
  [
    ...new Set(
      h.app.routes
        .filter((r) => !r.path.endsWith('*'))
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    ),
  ].sort();

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('GET /openapi.json', () => {
  it('describes exactly the routes the app serves', async () => {
    h = harness();
    const spec = await json(await h.app.request('/openapi.json'));
    expect(spec.openapi).toBe('3.1.0');
    const documented = Object.entries(spec.paths as Record<string, object>)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served(h));
  });

  it('has every $ref resolve and every operation documented', () => {
    for (const ref of refs(OPENAPI)) {
      let node: unknown = OPENAPI;
      for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Record<string, unknown>)[part];
      expect(node, ref).toBeDefined();
    }
    for (const [path, item] of Object.entries(OPENAPI.paths)) {
      for (const op of Object.values(item) as {
        summary?: string;
        operationId?: string;
        responses?: object;
      }[]) {
        expect(op.summary, path).toBeTruthy();
        expect(op.operationId, path).toBeTruthy();
        expect(Object.keys(op.responses ?? {}).length, path).toBeGreaterThan(0);
      }
    }
  });

  it('lists every field the environment endpoint returns', async () => {
    const { record } = await import('./helpers.js');
    h = harness({}, [record('ml-staging')]);
    const env = await json(await h.app.request('/api/v1/environments/ml-staging'));
    expect(Object.keys(env).sort()).toEqual([...OPENAPI.components.schemas.Environment.required].sort());
    const list = await json(await h.app.request('/api/v1/environments'));
    expect(Object.keys(list.items[0]).sort()).toEqual(
      [...OPENAPI.components.schemas.EnvironmentSummary.required].sort(),
    );
  });
});

describe('GET /docs', () => {
  it('renders every route and schema as a self-contained page', async () => {
    h = harness();
    const res = await h.app.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    for (const path of Object.keys(OPENAPI.paths)) expect(html).toContain(`<code>${path}</code>`);
    for (const schema of Object.keys(OPENAPI.components.schemas))
      expect(html).toContain(`id="schema-${schema}"`);
    expect(html).toContain(
      'curl -s -H &#34;Authorization: Bearer $TOKEN&#34; http://localhost:3000/api/v1/environments/ml-staging',
    );
    expect(html).not.toMatch(/<script|https?:\/\/(?!localhost)[^"<\s]*\.(js|css)/);
  });

  it('escapes what it renders', () => {
    const html = renderDocs({
      openapi: '3.1.0',
      info: { title: '<img src=x onerror=alert(1)>', version: '1' },
      paths: { '/x': { get: { summary: '<b>bold</b>', responses: { '200': { description: '"quoted"' } } } } },
    });
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).not.toContain('<b>bold</b>');
  });
});

describe('GET / (status page shell)', () => {
  it('is small HTML with a CSP that admits only its own inline script and style', async () => {
    h = harness();
    const res = await h.app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(Buffer.byteLength(html)).toBeLessThan(32 * 1024);
    const csp = res.headers.get('content-security-policy')!;
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*)<\/style>/.exec(html)![1]!;
    const hash = (t: string) => `'sha256-${createHash('sha256').update(t).digest('base64')}'`;
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain("connect-src 'self'");
    expect(html).toContain('name="viewport"');
    expect(html).not.toMatch(/<script src=|<link /);
  });
});

describe('renderBadge', () => {
  it('escapes the label and sizes itself to the text', () => {
    const svg = renderBadge('<x>&"', 'failed');
    expect(svg).not.toContain('<x>');
    expect(svg).toContain('&#60;x&#62;&#38;&#34;');
    const short = Number(/width="(\d+)"/.exec(renderBadge('a', 'ready'))![1]);
    const long = Number(/width="(\d+)"/.exec(renderBadge('a-much-longer-name', 'ready'))![1]);
    expect(long).toBeGreaterThan(short);
  });
});

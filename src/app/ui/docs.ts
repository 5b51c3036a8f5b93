import { escapeHtml as e } from './html.js';

/**
 * Renders an OpenAPI 3.1 document as one self-contained HTML page: no scripts, no CDN (the
 * server may run where nothing outside is reachable). Written for the subset of OpenAPI this
 * product's document uses: paths with GET operations, parameters, responses and JSON schemas.
 */

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});

function resolve(doc: Json, value: unknown): Json {
  const ref = asObject(value).$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return asObject(value);
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) node = asObject(node)[part];
  return asObject(node);
}

/** A one-line description of a schema: `string (date-time)`, `Environment`, `array of StatusEvent`. */
function typeOf(schema: unknown): string {
  const s = asObject(schema);
  if (typeof s.$ref === 'string') {
    const name = s.$ref.split('/').pop() ?? '';
    return `<a href="#schema-${e(name)}">${e(name)}</a>`;
  }
  if (Array.isArray(s.oneOf)) return s.oneOf.map(typeOf).join(' | ');
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => `<code>${e(v)}</code>`).join(', ')}`;
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  let text = types.map((t) => e(t)).join(' | ') || 'any';
  if (types.includes('array')) text = `array of ${typeOf(s.items)}`;
  const extras: string[] = [];
  if (s.format) extras.push(e(s.format));
  if (s.minimum !== undefined) extras.push(`min ${e(s.minimum)}`);
  if (s.maximum !== undefined) extras.push(`max ${e(s.maximum)}`);
  if (s.default !== undefined) extras.push(`default ${e(s.default)}`);
  if (s.pattern) extras.push(`pattern <code>${e(s.pattern)}</code>`);
  return extras.length ? `${text} (${extras.join(', ')})` : text;
}

/** Inline `code` spans in descriptions; everything else is escaped text. */
function prose(text: unknown): string {
  if (typeof text !== 'string') return '';
  return e(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function curlFor(path: string, secured: boolean): string {
  const url = `http://localhost:3000${path.replace(/\{name\}/g, 'ml-staging')}`;
  const auth = secured ? ' -H "Authorization: Bearer $TOKEN"' : '';
  const flags = path.endsWith('/watch') ? ' -N' : ' -s';
  return `curl${flags}${auth} ${url}`;
}

function operation(doc: Json, path: string, method: string, op: Json): string {
  const id = `op-${String(op.operationId ?? `${method}-${path}`)}`;
  const params = (Array.isArray(op.parameters) ? op.parameters : []).map((p) => resolve(doc, p));
  const secured = Array.isArray(op.security) && op.security.length > 0;
  const rows = params
    .map(
      (p) =>
        `<tr><td><code>${e(p.name)}</code></td><td>${e(p.in)}${p.required ? ', required' : ''}</td><td>${typeOf(p.schema)}</td><td>${prose(p.description)}</td></tr>`,
    )
    .join('');
  const responses = Object.entries(asObject(op.responses))
    .map(([code, value]) => {
      const r = resolve(doc, value);
      const media = Object.entries(asObject(r.content))
        .map(([type, m]) => `<code>${e(type)}</code> ${typeOf(asObject(m).schema)}`)
        .join('<br>');
      return `<tr><td><b>${e(code)}</b></td><td>${prose(r.description)}</td><td>${media}</td></tr>`;
    })
    .join('');
  return `<section class="op" id="${e(id)}">
<h3><span class="method">${e(method.toUpperCase())}</span> <code>${e(path)}</code></h3>
<p><b>${prose(op.summary)}</b>${secured ? ' <span class="lock">bearer token when API_TOKENS is set</span>' : ''}</p>
${op.description ? `<p>${prose(op.description)}</p>` : ''}
${rows ? `<table><thead><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>` : ''}
<table><thead><tr><th>Status</th><th>Meaning</th><th>Body</th></tr></thead><tbody>${responses}</tbody></table>
<pre>${e(curlFor(path, secured))}</pre>
</section>`;
}

function schemaSection(name: string, schema: Json): string {
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const rows = Object.entries(asObject(schema.properties))
    .map(
      ([prop, s]) =>
        `<tr><td><code>${e(prop)}</code>${required.has(prop) ? '' : ' <small>optional</small>'}</td><td>${typeOf(s)}</td><td>${prose(asObject(s).description)}</td></tr>`,
    )
    .join('');
  return `<section class="schema" id="schema-${e(name)}"><h3>${e(name)}</h3>
${schema.description ? `<p>${prose(schema.description)}</p>` : ''}
${rows ? `<table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>` : `<p>${typeOf(schema)}</p>`}
</section>`;
}

export function renderDocs(doc: Json): string {
  const info = asObject(doc.info);
  const ops: string[] = [];
  const toc: string[] = [];
  for (const [path, item] of Object.entries(asObject(doc.paths))) {
    for (const [method, op] of Object.entries(asObject(item))) {
      const o = asObject(op);
      ops.push(operation(doc, path, method, o));
      toc.push(
        `<li><a href="#op-${e(String(o.operationId ?? `${method}-${path}`))}"><span class="method">${e(method.toUpperCase())}</span> ${e(path)}</a></li>`,
      );
    }
  }
  const schemas = Object.entries(asObject(asObject(doc.components).schemas))
    .map(([name, s]) => schemaSection(name, asObject(s)))
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(info.title)} · API reference</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:960px;padding:1rem;color:#1f2328}
h1{margin:.2rem 0}h2{margin-top:2rem;border-bottom:1px solid #d0d7de}h3{margin:.2rem 0}
code,pre{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;border-radius:4px}
code{padding:0 .25em}pre{padding:.6rem;overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:14px;display:block;overflow-x:auto}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
.op,.schema{border:1px solid #d0d7de;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.method{display:inline-block;background:#0969da;color:#fff;border-radius:4px;padding:0 .4em;font-size:12px;font-weight:600}
.lock{font-size:12px;color:#9a6700;background:#fff8c5;border-radius:4px;padding:0 .4em}
ul.toc{columns:2;padding-left:1rem}@media (max-width:640px){ul.toc{columns:1}}
</style></head><body>
<h1>${e(info.title)} <small>${e(info.version)}</small></h1>
<p>${prose(info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${e(doc.openapi)}). Status page: <a href="/">/</a>.</p>
<h2>Routes</h2><ul class="toc">${toc.join('')}</ul>
${ops.join('\n')}
<h2>Schemas</h2>
${schemas}
</body></html>
`;
}

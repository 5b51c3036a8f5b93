import { createHash } from 'node:crypto';
import { STATUS_COLOURS } from './badge.js';

/**
 * The status page: one static HTML document with inline CSS and JavaScript, no build step.
 * It holds no data itself; the script reads /api/v1/environments (all pages), then follows
 * /api/v1/events/watch. With no API token it uses EventSource; when the API asks for a token
 * (API_TOKENS set) the page asks for one, keeps it in sessionStorage and reads the same stream
 * with fetch(), because EventSource cannot send an Authorization header.
 * Every value from the API goes through esc() or textContent; links must be http(s).
 */

const statusCss = Object.entries(STATUS_COLOURS)
  .map(([status, colour]) => `.s-${status}{background:${colour}}`)
  .join('');

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
header.top{position:sticky;top:0;z-index:1;background:#fff;border-bottom:1px solid #d0d7de;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header.top h1{font-size:1.1rem;margin:0;flex:1 1 auto}
#live{font-size:.8rem;padding:.1rem .5rem;border-radius:1rem;background:#eaeef2}
#live.on{background:#dafbe1;color:#1a7f37}#live.off{background:#ffebe9;color:#cf222e}
#filter{flex:1 1 12rem;max-width:20rem;padding:.35rem .5rem;border:1px solid #d0d7de;border-radius:6px;font:inherit}
#counts{width:100%;display:flex;flex-wrap:wrap;gap:.3rem;font-size:.8rem}
main{padding:1rem;display:grid;gap:.8rem;grid-template-columns:repeat(auto-fill,minmax(min(100%,22rem),1fr))}
.env{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:.7rem .9rem;min-width:0}
.env h2{font-size:1rem;margin:0;word-break:break-all;display:inline}
.env .head{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;justify-content:space-between}
.badge{display:inline-block;color:#fff;border-radius:1rem;padding:0 .55rem;font-size:.8rem;font-weight:600;white-space:nowrap}
.flag{display:inline-block;border-radius:1rem;padding:0 .5rem;font-size:.75rem;background:#fff8c5;color:#9a6700}
.env p{margin:.3rem 0;font-size:.88rem;overflow-wrap:anywhere}
.muted{color:#59636e}.error{color:#cf222e}
details{font-size:.85rem;margin-top:.3rem}summary{cursor:pointer;color:#0969da}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .6rem;margin:.4rem 0}
dt{font-family:ui-monospace,Menlo,Consolas,monospace;color:#59636e}dd{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}
a{color:#0969da}
#empty,#auth{margin:2rem auto;max-width:30rem;text-align:center}
#auth input{width:100%;padding:.5rem;margin:.5rem 0;font:inherit}
#auth button{padding:.4rem 1rem;font:inherit}
[hidden]{display:none!important}
${statusCss}
`;

const SCRIPT = `
(function () {
  'use strict';
  var envs = new Map();
  var token = sessionStorage.getItem('beta9-token') || '';
  var main = document.getElementById('envs');
  var live = document.getElementById('live');
  var filter = document.getElementById('filter');
  var streamAbort = null;

  function esc(v) {
    return String(v == null ? '' : v).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  function safeUrl(u) { return typeof u === 'string' && /^https?:\\/\\//i.test(u) ? u : null; }
  function ago(iso) {
    var t = Date.parse(iso); if (!isFinite(t)) return '';
    var s = Math.max(0, Math.round((Date.now() - t) / 1000));
    if (s < 60) return s + ' s ago'; if (s < 3600) return Math.round(s / 60) + ' min ago';
    if (s < 86400) return Math.round(s / 3600) + ' h ago'; return Math.round(s / 86400) + ' d ago';
  }
  function setLive(text, cls) { live.textContent = text; live.className = cls || ''; }
  function headers() { return token ? { Authorization: 'Bearer ' + token } : {}; }

  function card(env) {
    var pr = env.last_pr && safeUrl(env.last_pr.url)
      ? ' · PR <a href="' + esc(env.last_pr.url) + '">#' + esc(env.last_pr.number) + '</a>' : '';
    var run = safeUrl(env.last_run_url) ? ' · <a href="' + esc(env.last_run_url) + '">run</a>' : '';
    var commit = env.last_commit ? ' · commit <code>' + esc(String(env.last_commit).slice(0, 7)) + '</code>' : '';
    var names = Object.keys(env.outputs || {});
    var outputs = names.length
      ? '<details><summary>Outputs (' + names.length + ')</summary><dl>' + names.map(function (k) {
          return '<dt>' + esc(k) + '</dt><dd>' + esc(env.outputs[k]) + '</dd>';
        }).join('') + '</dl>' +
        ((env.outputs_withheld || []).length ? '<p class="muted">Withheld as sensitive: ' + esc(env.outputs_withheld.join(', ')) + '</p>' : '') +
        '</details>'
      : '<p class="muted">No outputs yet.</p>';
    return '<div class="head"><h2>' + esc(env.name) + '</h2><span>' +
      (env.stale ? '<span class="flag">stale</span> ' : '') +
      (env.drift && env.drift.detected ? '<span class="flag">drift</span> ' : '') +
      '<span class="badge s-' + esc(env.status) + '" data-status="' + esc(env.status) + '">' + esc(String(env.status).replace('_', ' ')) + '</span></span></div>' +
      '<p><b>' + esc(String(env.cloud).toUpperCase()) + '</b> · ' + esc(env.region) + ' · <span class="muted">' + esc(env.account) + '</span></p>' +
      '<p class="muted">' + esc(env.repo) + '</p>' +
      '<p>Changed <time datetime="' + esc(env.status_changed_at) + '" title="' + esc(env.status_changed_at) + '">' + esc(ago(env.status_changed_at)) + '</time>' + pr + commit + run + '</p>' +
      (env.error_message ? '<p class="error">' + esc(env.error_message) + '</p>' : '') +
      outputs;
  }

  function matches(env) {
    var q = filter.value.trim().toLowerCase();
    if (!q) return true;
    return [env.name, env.repo, env.region, env.cloud, env.status].join(' ').toLowerCase().indexOf(q) >= 0;
  }

  function place(env) {
    var id = 'env-' + env.name;
    var el = document.getElementById(id);
    if (!el) {
      el = document.createElement('article');
      el.className = 'env';
      el.id = id;
      var next = null;
      for (var i = 0; i < main.children.length; i++) {
        if (main.children[i].id > id) { next = main.children[i]; break; }
      }
      main.insertBefore(el, next);
    }
    var open = el.querySelector('details') && el.querySelector('details').open;
    el.innerHTML = card(env);
    if (open) el.querySelector('details').open = true;
    el.dataset.status = env.status;
    el.hidden = !matches(env);
  }

  function counts() {
    var by = {};
    envs.forEach(function (env) { by[env.status] = (by[env.status] || 0) + 1; });
    document.getElementById('counts').innerHTML = Object.keys(by).sort().map(function (s) {
      return '<span class="badge s-' + esc(s) + '">' + esc(s.replace('_', ' ')) + ' ' + by[s] + '</span>';
    }).join('');
    document.getElementById('empty').hidden = envs.size > 0;
  }

  function upsert(env) {
    var current = envs.get(env.name);
    if (current && current.updated_at > env.updated_at) return;
    envs.set(env.name, env);
    place(env);
  }

  function api(path) {
    return fetch(path, { headers: headers() }).then(function (r) {
      if (r.status === 401) { var err = new Error('unauthorized'); err.status = 401; throw err; }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    });
  }

  function loadAll() {
    var items = [];
    function page(cursor) {
      return api('/api/v1/environments?limit=100' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''))
        .then(function (body) {
          items.push.apply(items, body.items);
          return body.next_cursor ? page(body.next_cursor) : items;
        });
    }
    return page(null).then(function (all) { all.forEach(upsert); counts(); });
  }

  function onStatus(data) {
    var msg = JSON.parse(data);
    if (msg && msg.environment) { upsert(msg.environment); counts(); }
  }

  function watchWithEventSource() {
    var es = new EventSource('/api/v1/events/watch');
    es.addEventListener('open', function () { setLive('live', 'on'); loadAll().catch(function () {}); });
    es.addEventListener('status', function (ev) { onStatus(ev.data); });
    es.addEventListener('error', function () { setLive(es.readyState === 2 ? 'offline' : 'reconnecting…', 'off'); });
  }

  // EventSource cannot send Authorization, so with a token the stream is read with fetch().
  function watchWithFetch() {
    streamAbort = new AbortController();
    fetch('/api/v1/events/watch', { headers: headers(), signal: streamAbort.signal }).then(function (r) {
      if (r.status === 401) { askToken('That token was not accepted.'); return; }
      if (!r.ok || !r.body) throw new Error('HTTP ' + r.status);
      setLive('live', 'on');
      loadAll().catch(function () {});
      var reader = r.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) throw new Error('stream ended');
          buffer += decoder.decode(chunk.value, { stream: true }).replace(/\\r\\n?/g, '\\n');
          var at;
          while ((at = buffer.indexOf('\\n\\n')) >= 0) {
            var block = buffer.slice(0, at); buffer = buffer.slice(at + 2);
            var event = 'message', data = [];
            block.split('\\n').forEach(function (line) {
              if (line.indexOf('event:') === 0) event = line.slice(6).trim();
              else if (line.indexOf('data:') === 0) data.push(line.slice(5).replace(/^ /, ''));
            });
            if (event === 'status' && data.length) onStatus(data.join('\\n'));
          }
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      if (streamAbort && streamAbort.signal.aborted) return;
      setLive('reconnecting…', 'off');
      setTimeout(watchWithFetch, 3000);
    });
  }

  function askToken(message) {
    if (streamAbort) streamAbort.abort();
    setLive('locked', 'off');
    document.getElementById('auth').hidden = false;
    document.getElementById('auth-message').textContent = message;
  }

  document.getElementById('auth-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    token = document.getElementById('token').value.trim();
    sessionStorage.setItem('beta9-token', token);
    document.getElementById('auth').hidden = true;
    start();
  });
  filter.addEventListener('input', function () { envs.forEach(place); });
  setInterval(function () {
    document.querySelectorAll('time[datetime]').forEach(function (t) { t.textContent = ago(t.getAttribute('datetime')); });
  }, 30000);

  function start() {
    setLive('connecting…');
    loadAll().then(function () {
      if (token) watchWithFetch(); else watchWithEventSource();
    }, function (err) {
      if (err.status === 401) askToken(token ? 'That token was not accepted.' : 'This server requires an API token (API_TOKENS).');
      else { setLive('offline', 'off'); setTimeout(start, 5000); }
    });
  }
  start();
})();
`;

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * Content-Security-Policy: only this page's own inline script and style (by hash) may run, and
 * it may talk only to this origin. A value that escaped escaping still could not execute.
 */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Beta9 environments</title>
<style>${STYLE}</style>
</head><body>
<header class="top">
<h1>Beta9 environments</h1>
<input id="filter" type="search" placeholder="Filter by name, repo, region, status" aria-label="Filter environments">
<span id="live" aria-live="polite">connecting…</span>
<div id="counts"></div>
</header>
<section id="auth" hidden>
<form id="auth-form"><p id="auth-message"></p>
<input id="token" type="password" autocomplete="off" placeholder="API token" aria-label="API token">
<button type="submit">Use token</button></form>
</section>
<p id="empty" class="muted" hidden>No environments in the index yet. Add a file under <code>environments/</code> and merge it.</p>
<main id="envs" aria-live="polite"></main>
<noscript><p>This page needs JavaScript for live updates. The data is at <a href="/api/v1/environments">/api/v1/environments</a>.</p></noscript>
<script>${SCRIPT}</script>
</body></html>
`;

/**
 * Starts the real server process (`tsx src/server.ts`) against a local stand-in for the
 * GitHub API (GHE_HOST + GHE_PROTOCOL=http) and sends signed and badly signed deliveries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnvironment, contents, example, INSTALLATION, privateKey, REPO, SECRET } from './fixtures/app.js';

const ROOT = join(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The few GitHub API routes an installation delivery needs; records every request. */
function fakeGitHub(): Promise<{ server: Server; port: number; requests: string[] }> {
  const requests: string[] = [];
  const routes: Record<string, [number, unknown]> = {
    [`POST /api/v3/app/installations/${INSTALLATION}/access_tokens`]: [
      201,
      { token: 'ghs_fake', expires_at: '2099-01-01T00:00:00Z', permissions: {} },
    ],
    [`GET /api/v3/repos/${REPO}`]: [200, { full_name: REPO, default_branch: 'master' }],
    [`GET /api/v3/repos/${REPO}/contents/environments?ref=master`]: [
      200,
      [{ type: 'file', path: 'environments/alpha.yaml', sha: 'blob-1' }],
    ],
    [`GET /api/v3/repos/${REPO}/contents/environments%2Falpha.yaml?ref=master`]: [
      200,
      contents('environments/alpha.yaml', awsEnvironment('alpha'), 'blob-1'),
    ],
  };
  const server = createServer((req: IncomingMessage, res) => {
    const key = `${req.method} ${req.url}`;
    requests.push(key);
    const [status, body] = routes[key] ?? [404, { message: `fake GitHub has no route ${key}` }];
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, requests }),
    ),
  );
}

function waitFor(child: ChildProcess, output: string[], pattern: RegExp, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}:\n${output.join('')}`)),
      ms,
    );
    const check = (): void => {
      if (pattern.test(output.join(''))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!pattern.test(output.join('')))
        reject(new Error(`server exited with ${code}:\n${output.join('')}`));
    });
    check();
  });
}

describe('the real server process', () => {
  let dir: string;
  let github: Awaited<ReturnType<typeof fakeGitHub>>;
  let child: ChildProcess;
  let port: number;
  const output: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'beta9-server-'));
    github = await fakeGitHub();
    port = await freePort();
    child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['src/server.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        APP_ID: '123',
        PRIVATE_KEY: privateKey(),
        WEBHOOK_SECRET: SECRET,
        GHE_HOST: `127.0.0.1:${github.port}`,
        GHE_PROTOCOL: 'http',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_PATH: join(dir, 'beta9.db'),
        LOG_LEVEL: 'info',
        API_TOKENS: 'a-long-enough-test-token-123456',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await waitFor(child, output, /Listening on port/);
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    github.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = (sql: string): number => {
    const db = new Database(join(dir, 'beta9.db'), { readonly: true });
    try {
      return (db.prepare(sql).get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  async function deliver(body: string, signature: string, id: string) {
    const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'installation',
        'x-github-delivery': id,
        'x-hub-signature-256': signature,
      },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('rejects a bad signature without touching the index, applies a good one, and shuts down cleanly', async () => {
    const payload = example<Record<string, any>>('installation', (e) => e.action === 'created'); // eslint-disable-line @typescript-eslint/no-explicit-any
    payload.installation.id = INSTALLATION;
    payload.repositories = [{ full_name: REPO }];
    const body = JSON.stringify(payload);
    const good = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const bad = `sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}`;

    const rejected = await deliver(body, bad, 'delivery-bad');
    expect(rejected.status).toBe(401);
    expect(rejected.body).toEqual({
      error: { code: 'bad_signature', message: expect.stringContaining('WEBHOOK_SECRET') },
    });
    expect(count('SELECT COUNT(*) AS n FROM deliveries')).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM environments')).toBe(0);
    expect(github.requests).toEqual([]);

    const accepted = await deliver(body, good, 'delivery-good');
    expect(accepted).toEqual({
      status: 200,
      body: { ok: true, delivery: 'delivery-good', result: 'accepted' },
    });
    expect(count("SELECT COUNT(*) AS n FROM environments WHERE name = 'alpha' AND status = 'pending'")).toBe(
      1,
    );
    expect(count("SELECT COUNT(*) AS n FROM deliveries WHERE id = 'delivery-good'")).toBe(1);

    // The same delivery again changes nothing.
    const again = await deliver(body, good, 'delivery-good');
    expect(again.body.result).toBe('duplicate');

    // The API in the same process serves what the webhook wrote.
    const api = await fetch(`http://127.0.0.1:${port}/api/v1/environments/alpha`, {
      headers: { authorization: 'Bearer a-long-enough-test-token-123456' },
    });
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({ name: 'alpha', status: 'pending', repo: REPO });

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const logs = output.join('');
    expect(logs).toContain('Index closed');
    expect(logs).not.toContain('BEGIN RSA PRIVATE KEY');
    // Log lines about the delivery carry its id.
    const indexed = logs
      .split('\n')
      .filter((l) => l.includes('Indexed Codertocat/Hello-World'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(indexed[0]).toMatchObject({ delivery: 'delivery-good', event: 'installation' });
  });
});

/**
 * GitHub (REST + the runner's OIDC endpoint), AWS (STS, S3, EKS, Secrets Manager) and the
 * Kubernetes API, faked at the HTTP level on local ports, so the bundled Action can run as a child
 * process (nock cannot reach into another process). Every request is recorded for assertions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeKube } from '../engine/bootstrap/fixtures.js';

export const DB_PASSWORD = 'db-Pa55word/never-printed';
export const SECRET_ACCESS_KEY = 'fakeSecretAccessKeyNeverPrinted0123456789';
export const SESSION_TOKEN = 'FakeSessionTokenNeverPrinted/abcdefghijklmnop';
export const OIDC_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.fake-oidc-token.signature';
export const GCP_ACCESS_TOKEN = 'ya29.fake-impersonated-token-never-printed';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Comment {
  id: number;
  body: string;
  user: { login: string };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handler(req, res).catch((err: Error) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err.stack));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export class FakeGitHub {
  readonly requests: Recorded[] = [];
  readonly comments = new Map<number, Comment[]>();
  readonly deployments: Array<{ id: number; environment: string; payload: unknown; ref: string }> = [];
  readonly statuses: Array<{ deployment: number; state: string; description: string; log_url?: string }> = [];
  readonly checkRuns: Array<{
    name: string;
    head_sha: string;
    conclusion: string;
    output: { title: string; text: string };
  }> = [];
  /** PR numbers returned for any commit (the merged PR of a push). */
  pullsForCommit: number[] = [];
  private nextId = 1000;
  url = '';
  private server?: Server;

  async start(): Promise<this> {
    const { server, url } = await listen((req, res) => this.handle(req, res));
    this.server = server;
    this.url = url;
    return this;
  }
  stop() {
    this.server?.close();
  }

  /** Statuses of one environment's deployments, as `state: description`. */
  statusesOf(environment: string): string[] {
    const ids = new Set(this.deployments.filter((d) => d.environment === environment).map((d) => d.id));
    return this.statuses.filter((s) => ids.has(s.deployment)).map((s) => `${s.state}: ${s.description}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: u.pathname, query: u.searchParams, headers: req.headers, body });
    const data = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    let m: RegExpExecArray | null;
    if (u.pathname === '/oidc') {
      if (req.headers.authorization !== 'Bearer oidc-request-token')
        return json(res, 401, { message: 'bad request token' });
      return json(res, 200, { value: OIDC_TOKEN });
    }
    if (req.headers.authorization !== 'token ghs_test' && req.headers.authorization !== 'Bearer ghs_test') {
      return json(res, 401, { message: 'Bad credentials' });
    }
    if ((m = /^\/repos\/acme\/infra\/issues\/(\d+)\/comments$/.exec(u.pathname))) {
      const list = this.comments.get(Number(m[1])) ?? [];
      if (method === 'GET') return json(res, 200, list);
      const comment = { id: this.nextId++, body: String(data.body), user: { login: 'github-actions[bot]' } };
      this.comments.set(Number(m[1]), [...list, comment]);
      return json(res, 201, comment);
    }
    if ((m = /^\/repos\/acme\/infra\/issues\/comments\/(\d+)$/.exec(u.pathname)) && method === 'PATCH') {
      for (const list of this.comments.values()) {
        const c = list.find((x) => x.id === Number(m![1]));
        if (c) {
          c.body = String(data.body);
          return json(res, 200, c);
        }
      }
      return json(res, 404, { message: 'Not Found' });
    }
    if (u.pathname === '/repos/acme/infra/deployments' && method === 'POST') {
      const d = {
        id: this.nextId++,
        environment: String(data.environment),
        payload: data.payload,
        ref: String(data.ref),
      };
      this.deployments.push(d);
      return json(res, 201, d);
    }
    if ((m = /^\/repos\/acme\/infra\/deployments\/(\d+)\/statuses$/.exec(u.pathname)) && method === 'POST') {
      this.statuses.push({
        deployment: Number(m[1]),
        state: String(data.state),
        description: String(data.description),
        log_url: data.log_url as string,
      });
      return json(res, 201, { id: this.nextId++ });
    }
    if (/^\/repos\/acme\/infra\/commits\/[^/]+\/pulls$/.test(u.pathname)) {
      return json(
        res,
        200,
        this.pullsForCommit.map((n) => ({ number: n, merged_at: '2026-11-26T00:00:00Z' })),
      );
    }
    if (u.pathname === '/repos/acme/infra/check-runs' && method === 'POST') {
      this.checkRuns.push(data as never);
      return json(res, 201, { id: this.nextId++ });
    }
    return json(res, 404, { message: `Not Found: ${method} ${u.pathname}` });
  }
}

function stsXml(action: 'AssumeRoleWithWebIdentity' | 'AssumeRole', role: string, keyId: string) {
  return `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <${action}Result>
    <Credentials>
      <AccessKeyId>${keyId}</AccessKeyId>
      <SecretAccessKey>${SECRET_ACCESS_KEY}${action === 'AssumeRole' ? '2' : '1'}</SecretAccessKey>
      <SessionToken>${SESSION_TOKEN}${action === 'AssumeRole' ? '2' : '1'}</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser><Arn>${role}/beta9</Arn><AssumedRoleId>AROA:beta9</AssumedRoleId></AssumedRoleUser>
  </${action}Result>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</${action}Response>`;
}

export class FakeAws {
  readonly requests: Recorded[] = [];
  readonly sts: Array<Record<string, string>> = [];
  readonly buckets = new Map<string, Set<string>>();
  kubeUrl = '';
  url = '';
  private server?: Server;

  async start(): Promise<this> {
    const { server, url } = await listen((req, res) => this.handle(req, res));
    this.server = server;
    this.url = url;
    return this;
  }
  stop() {
    this.server?.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: u.pathname, query: u.searchParams, headers: req.headers, body });
    const target = String(req.headers['x-amz-target'] ?? '');
    if (method === 'POST' && u.pathname === '/' && target === 'secretsmanager.GetSecretValue') {
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          ARN: SecretId,
          Name: 'rds-master',
          SecretString: JSON.stringify({ username: 'beta9', password: DB_PASSWORD }),
        }),
      );
      return;
    }
    if (method === 'POST' && u.pathname === '/') {
      const form = Object.fromEntries(new URLSearchParams(body));
      this.sts.push(form);
      const action = form.Action as 'AssumeRoleWithWebIdentity' | 'AssumeRole';
      if (action === 'AssumeRoleWithWebIdentity' && form.WebIdentityToken !== OIDC_TOKEN) {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>bad token</Message></Error></ErrorResponse>',
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        stsXml(action, form.RoleArn ?? '', action === 'AssumeRole' ? 'ASIACHAINED' : 'ASIAWEBIDENTITY'),
      );
      return;
    }
    let m: RegExpExecArray | null;
    if ((m = /^\/clusters\/([^/]+)$/.exec(u.pathname)) && method === 'GET') {
      return json(res, 200, {
        cluster: {
          name: m[1],
          endpoint: this.kubeUrl,
          status: 'ACTIVE',
          certificateAuthority: { data: Buffer.from('fake-ca').toString('base64') },
        },
      });
    }
    // S3, path style: /<bucket>?<subresource>
    const bucket = u.pathname.split('/')[1] ?? '';
    const sub = [...u.searchParams.keys()].find((k) => k !== 'x-id') ?? '';
    if (method === 'HEAD' && !sub) {
      res.writeHead(this.buckets.has(bucket) ? 200 : 404);
      res.end();
      return;
    }
    if (method === 'PUT') {
      if (!sub) {
        if (this.buckets.has(bucket)) {
          res.writeHead(409, { 'content-type': 'application/xml' });
          res.end('<Error><Code>BucketAlreadyOwnedByYou</Code><Message>owned</Message></Error>');
          return;
        }
        this.buckets.set(bucket, new Set());
      } else this.buckets.get(bucket)?.add(sub);
      res.writeHead(200);
      res.end();
      return;
    }
    res.writeHead(404, { 'content-type': 'application/xml' });
    res.end(`<Error><Code>NotFound</Code><Message>${method} ${u.pathname}</Message></Error>`);
  }
}

/** The bootstrap's stateful fake Kubernetes API (test/engine/bootstrap/fixtures.ts) on a real port. */
export class FakeKubeServer {
  readonly kube = new FakeKube();
  url = '';
  private server?: Server;
  async start(): Promise<this> {
    const { server, url } = await listen(async (req, res) => {
      const body = await readBody(req);
      const [status, payload] = this.kube.handle(
        req.method ?? 'GET',
        req.url ?? '/',
        body,
        req.headers.authorization,
      );
      json(res, status, payload);
    });
    this.server = server;
    this.url = url;
    return this;
  }
  stop() {
    this.server?.close();
  }
}

/** Google STS, IAM Credentials and Cloud Storage, as workload identity federation and the state bucket use them. */
export class FakeGoogle {
  readonly requests: Recorded[] = [];
  readonly buckets = new Map<string, unknown>();
  url = '';
  private server?: Server;
  async start(): Promise<this> {
    const { server, url } = await listen(async (req, res) => {
      const u = new URL(req.url ?? '/', this.url);
      const body = await readBody(req);
      const method = req.method ?? 'GET';
      this.requests.push({ method, path: u.pathname, query: u.searchParams, headers: req.headers, body });
      if (u.pathname === '/v1/token') {
        const form = new URLSearchParams(body);
        if (form.get('subject_token') !== OIDC_TOKEN) return json(res, 400, { error: 'invalid_grant' });
        return json(res, 200, {
          access_token: 'federated-access-token',
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: 3600,
        });
      }
      if (u.pathname.endsWith(':generateAccessToken')) {
        if (req.headers.authorization !== 'Bearer federated-access-token')
          return json(res, 403, { error: 'denied' });
        return json(res, 200, { accessToken: GCP_ACCESS_TOKEN, expireTime: '2099-01-01T00:00:00Z' });
      }
      if (req.headers.authorization !== `Bearer ${GCP_ACCESS_TOKEN}`)
        return json(res, 401, { error: 'unauthenticated' });
      const m = /^\/storage\/v1\/b\/([^/]+)$/.exec(u.pathname);
      if (m && method === 'GET')
        return this.buckets.has(m[1] ?? '')
          ? json(res, 200, this.buckets.get(m[1] ?? ''))
          : json(res, 404, {});
      if (m && method === 'PATCH')
        return json(res, 200, { ...(this.buckets.get(m[1] ?? '') as object), ...JSON.parse(body) });
      if (u.pathname === '/storage/v1/b' && method === 'POST') {
        const bucket = JSON.parse(body) as { name: string };
        this.buckets.set(bucket.name, bucket);
        return json(res, 200, bucket);
      }
      return json(res, 404, { error: `${method} ${u.pathname}` });
    });
    this.server = server;
    this.url = url;
    return this;
  }
  stop() {
    this.server?.close();
  }
}

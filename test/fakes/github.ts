/**
 * A local fake of the GitHub REST API that records state: files (read from a real git
 * repository), pull requests, comments, check runs, deployments and statuses. The App
 * reaches it through GHE_HOST, the Action through GITHUB_API_URL. Deployments and
 * deployment statuses the Action creates are forwarded as signed webhooks, shaped like
 * GitHub's, to the App, which is how the real product closes its loop.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface FakeRepo {
  owner: string;
  name: string;
  defaultBranch: string;
  /** Working directory of a real git repository: contents and commits are read from it. */
  dir: string;
  installationId: number;
}

export interface PullRequest {
  number: number;
  base: string;
  head: string;
  fork: boolean;
  merged: boolean;
  /** The commit on the default branch that merged it. */
  mergeCommit?: string;
}

export interface Recorded {
  comments: { id: number; issue: number; body: string; created_at: string; updated_at: string }[];
  checkRuns: {
    id: number;
    name: string;
    head_sha: string;
    status: string;
    conclusion: string | null;
    output: { title?: string; summary?: string; text?: string; annotations?: unknown[] };
    annotations: Record<string, unknown>[];
  }[];
  deployments: {
    id: number;
    sha: string;
    ref: string;
    environment: string;
    payload: unknown;
    created_at: string;
  }[];
  statuses: {
    id: number;
    deployment_id: number;
    state: string;
    description: string;
    log_url?: string;
    created_at: string;
  }[];
  requests: { method: string; path: string; status: number }[];
  webhooks: { event: string; id: string; status: number }[];
}

export interface WorkflowRunInfo {
  id: number;
  name: string;
  path: string;
  head_branch: string;
  head_sha: string;
  html_url: string;
}

export interface FakeGitHubOptions {
  repo: FakeRepo;
  /** Where deployment events are delivered (the App's webhook URL); none when unset. */
  webhookUrl?: string;
  webhookSecret?: string;
  /** The workflow run attached to deployment statuses (the App trusts only the apply workflow). */
  workflowRun?: () => WorkflowRunInfo;
}

type Handler = (
  req: IncomingMessage,
  params: string[],
  body: unknown,
  url: URL,
) => Promise<[number, unknown]> | [number, unknown];

function git(dir: string, args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class FakeGitHub {
  readonly recorded: Recorded = {
    comments: [],
    checkRuns: [],
    deployments: [],
    statuses: [],
    requests: [],
    webhooks: [],
  };
  readonly pulls = new Map<number, PullRequest>();
  private server?: Server;
  private nextId = 1000;
  private readonly routes: [string, RegExp, Handler][] = [];
  private pendingWebhooks: Promise<unknown> = Promise.resolve();
  url = '';

  constructor(readonly options: FakeGitHubOptions) {
    const repoPath = `/repos/${options.repo.owner}/${options.repo.name}`;
    const esc = (s: string) => s.replace(/[/.]/g, (c) => `\\${c}`);
    const route = (method: string, pattern: string, handler: Handler) =>
      this.routes.push([
        method,
        new RegExp(`^(?:/api/v3)?${esc(pattern).replace(/:\w+/g, '([^/]+)').replace('*', '(.+)')}$`),
        handler,
      ]);

    route('POST', '/app/installations/:id/access_tokens', () => [
      201,
      {
        token: 'ghs_fakeinstallationtoken',
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        permissions: {},
      },
    ]);
    route('GET', '/app/installations', () => [200, [this.installation()]]);
    // The runner's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL).
    route('GET', '/oidc', () => [200, { value: 'eyJhbGciOiJSUzI1NiJ9.fake-oidc-token.signature' }]);
    route('GET', `/repos/:o/:r/installation`, () => [200, this.installation()]);
    route('GET', '/installation/repositories', () => [
      200,
      { total_count: 1, repositories: [this.repository()] },
    ]);
    route('GET', `${repoPath}`, () => [200, this.repository()]);
    route('GET', `${repoPath}/pulls/:n/files`, (_req, [n], _b, url) => this.pullFiles(Number(n), url));
    route('GET', `${repoPath}/pulls/:n`, (_req, [n]) => {
      const pr = this.pulls.get(Number(n));
      return pr ? [200, this.pullPayload(pr)] : [404, { message: 'Not Found' }];
    });
    route('GET', `${repoPath}/contents/*`, (_req, [path], _b, url) =>
      this.contents(decodeURIComponent(path!), url),
    );
    route('GET', `${repoPath}/compare/*`, (_req, [spec]) => this.compare(decodeURIComponent(spec!)));
    route('GET', `${repoPath}/git/trees/*`, (_req, [ref]) => this.tree(decodeURIComponent(ref!)));
    route('GET', `${repoPath}/commits/:ref/check-runs`, (_req, [ref], _b, url) => {
      const sha = this.resolve(ref!);
      const name = url.searchParams.get('check_name');
      const runs = this.recorded.checkRuns.filter((c) => c.head_sha === sha && (!name || c.name === name));
      return [200, { total_count: runs.length, check_runs: runs }];
    });
    route('GET', `${repoPath}/commits/:ref/pulls`, (_req, [ref]) => {
      const sha = this.resolve(ref!);
      const merged = [...this.pulls.values()].filter((pr) => pr.mergeCommit === sha);
      return [200, merged.map((pr) => ({ ...this.pullPayload(pr), merged_at: new Date().toISOString() }))];
    });
    route('GET', `${repoPath}/commits/:ref`, (_req, [ref]) => [200, { sha: this.resolve(ref!) }]);
    route('POST', `${repoPath}/check-runs`, (_req, _p, body) =>
      this.createCheckRun(body as Record<string, unknown>),
    );
    route('PATCH', `${repoPath}/check-runs/:id`, (_req, [id], body) =>
      this.updateCheckRun(Number(id), body as Record<string, unknown>),
    );
    route('GET', `${repoPath}/check-runs/:id/annotations`, (_req, [id]) => [
      200,
      this.recorded.checkRuns.find((c) => c.id === Number(id))?.annotations ?? [],
    ]);
    route('GET', `${repoPath}/issues/:n/comments`, (_req, [n]) => [
      200,
      this.recorded.comments.filter((c) => c.issue === Number(n)).map((c) => this.commentPayload(c)),
    ]);
    route('POST', `${repoPath}/issues/:n/comments`, (_req, [n], body) => {
      const now = new Date().toISOString();
      const comment = {
        id: this.id(),
        issue: Number(n),
        body: String((body as { body: string }).body),
        created_at: now,
        updated_at: now,
      };
      this.recorded.comments.push(comment);
      return [201, this.commentPayload(comment)];
    });
    route('PATCH', `${repoPath}/issues/comments/:id`, (_req, [id], body) => {
      const comment = this.recorded.comments.find((c) => c.id === Number(id));
      if (!comment) return [404, { message: 'Not Found' }];
      comment.body = String((body as { body: string }).body);
      comment.updated_at = new Date().toISOString();
      return [200, this.commentPayload(comment)];
    });
    route('GET', `${repoPath}/deployments`, (_req, _p, _b, url) => {
      const env = url.searchParams.get('environment');
      const list = this.recorded.deployments.filter((d) => !env || d.environment === env).reverse();
      return [200, list.map((d) => this.deploymentPayload(d))];
    });
    route('POST', `${repoPath}/deployments`, (_req, _p, body) =>
      this.createDeployment(body as Record<string, unknown>),
    );
    route('GET', `${repoPath}/deployments/:id/statuses`, (_req, [id]) => [
      200,
      this.recorded.statuses
        .filter((s) => s.deployment_id === Number(id))
        .reverse()
        .map((s) => this.statusPayload(s)),
    ]);
    route('POST', `${repoPath}/deployments/:id/statuses`, (_req, [id], body) =>
      this.createStatus(Number(id), body as Record<string, unknown>),
    );
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.pendingWebhooks;
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Waits until every forwarded webhook has been answered. */
  async settled(): Promise<void> {
    let current: Promise<unknown>;
    do {
      current = this.pendingWebhooks;
      await current;
    } while (current !== this.pendingWebhooks);
  }

  get host(): string {
    return this.url.replace(/^https?:\/\//, '');
  }

  repository() {
    const { owner, name, defaultBranch } = this.options.repo;
    return {
      id: 4242,
      node_id: 'R_fake',
      name,
      full_name: `${owner}/${name}`,
      private: false,
      owner: { login: owner, id: 1, type: 'Organization' },
      html_url: `https://github.example/${owner}/${name}`,
      default_branch: defaultBranch,
      fork: false,
    };
  }

  installation() {
    return { id: this.options.repo.installationId, account: { login: this.options.repo.owner, id: 1 } };
  }

  resolve(ref: string): string {
    return git(this.options.repo.dir, ['rev-parse', `${ref}^{commit}`]).trim();
  }

  pullPayload(pr: PullRequest) {
    const repo = this.repository();
    const headRepo = pr.fork ? { ...repo, id: 9999, full_name: `someone/${repo.name}`, fork: true } : repo;
    return {
      number: pr.number,
      state: pr.merged ? 'closed' : 'open',
      merged: pr.merged,
      html_url: `${repo.html_url}/pull/${pr.number}`,
      user: { login: 'octocat', id: 2 },
      base: { ref: this.options.repo.defaultBranch, sha: this.resolve(pr.base), repo },
      head: { ref: `pr-${pr.number}`, sha: this.resolve(pr.head), repo: headRepo },
    };
  }

  private id(): number {
    return this.nextId++;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let status = 404;
    let payload: unknown = { message: 'Not Found', documentation_url: 'fake' };
    try {
      const body = raw ? (JSON.parse(raw) as unknown) : undefined;
      for (const [method, pattern, handler] of this.routes) {
        const match = req.method === method ? pattern.exec(url.pathname) : null;
        if (match) {
          [status, payload] = await handler(req, match.slice(1), body, url);
          break;
        }
      }
    } catch (error) {
      status = 500;
      payload = { message: String(error) };
    }
    this.recorded.requests.push({ method: req.method ?? '', path: url.pathname, status });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(payload));
  }

  private pullFiles(number: number, url: URL): [number, unknown] {
    const pr = this.pulls.get(number);
    if (!pr) return [404, { message: 'Not Found' }];
    const base = this.resolve(pr.base);
    const head = this.resolve(pr.head);
    const files = this.diff(base, head);
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    return [200, files.slice((page - 1) * perPage, page * perPage)];
  }

  /** The files changed between two commits, as the pulls/files API lists them. */
  pullFilesBetween(base: string, head: string) {
    return this.diff(this.resolve(base), this.resolve(head));
  }

  private diff(base: string, head: string) {
    const out = git(this.options.repo.dir, ['diff', '--name-status', '-M', `${base}...${head}`]).trim();
    if (!out) return [];
    return out.split('\n').map((line) => {
      const [code, a, b] = line.split('\t');
      const status = code!.startsWith('R')
        ? 'renamed'
        : code === 'A'
          ? 'added'
          : code === 'D'
            ? 'removed'
            : 'modified';
      return status === 'renamed'
        ? { filename: b, previous_filename: a, status, sha: head }
        : { filename: a, status, sha: head };
    });
  }

  private compare(spec: string): [number, unknown] {
    const [base, head] = spec.split('...');
    return [200, { files: this.diff(this.resolve(base!), this.resolve(head!)) }];
  }

  private tree(ref: string): [number, unknown] {
    const sha = this.resolve(ref);
    const files = git(this.options.repo.dir, ['ls-tree', '-r', '--name-only', sha]).trim().split('\n');
    return [
      200,
      { sha, truncated: false, tree: files.map((path) => ({ path, type: 'blob', mode: '100644' })) },
    ];
  }

  private contents(path: string, url: URL): [number, unknown] {
    const ref = url.searchParams.get('ref') ?? this.options.repo.defaultBranch;
    let sha: string;
    try {
      sha = this.resolve(ref);
    } catch {
      return [404, { message: 'No commit found for the ref' }];
    }
    const listing = git(this.options.repo.dir, ['ls-tree', sha, `${path.replace(/\/$/, '')}`]).trim();
    if (!listing) return [404, { message: 'Not Found' }];
    const [meta, name] = listing.split('\t');
    if (meta!.split(' ')[1] === 'tree') {
      const entries = git(this.options.repo.dir, ['ls-tree', sha, `${path.replace(/\/$/, '')}/`])
        .trim()
        .split('\n')
        .filter(Boolean);
      return [
        200,
        entries.map((entry) => {
          const [m, p] = entry.split('\t');
          return {
            type: m!.split(' ')[1] === 'tree' ? 'dir' : 'file',
            path: p,
            name: p!.split('/').pop(),
            sha: m!.split(' ')[2],
          };
        }),
      ];
    }
    const content = execFileSync('git', ['show', `${sha}:${name}`], { cwd: this.options.repo.dir });
    return [
      200,
      {
        type: 'file',
        encoding: 'base64',
        size: content.length,
        path: name,
        name: name!.split('/').pop(),
        content: content.toString('base64'),
        sha: meta!.split(' ')[2],
      },
    ];
  }

  private createCheckRun(body: Record<string, unknown>): [number, unknown] {
    const output = (body.output ?? {}) as Recorded['checkRuns'][number]['output'];
    const run = {
      id: this.id(),
      name: String(body.name),
      head_sha: String(body.head_sha),
      status: String(body.status ?? 'queued'),
      conclusion: (body.conclusion as string | undefined) ?? null,
      output,
      annotations: [...((output.annotations as Record<string, unknown>[] | undefined) ?? [])],
    };
    this.recorded.checkRuns.push(run);
    return [201, run];
  }

  private updateCheckRun(id: number, body: Record<string, unknown>): [number, unknown] {
    const run = this.recorded.checkRuns.find((c) => c.id === id);
    if (!run) return [404, { message: 'Not Found' }];
    const output = (body.output ?? {}) as Recorded['checkRuns'][number]['output'];
    run.status = String(body.status ?? run.status);
    run.conclusion = (body.conclusion as string | undefined) ?? run.conclusion;
    run.annotations.push(...((output.annotations as Record<string, unknown>[] | undefined) ?? []));
    run.output = { ...run.output, ...output };
    return [200, run];
  }

  private commentPayload(c: Recorded['comments'][number]) {
    return {
      id: c.id,
      body: c.body,
      created_at: c.created_at,
      updated_at: c.updated_at,
      user: { login: 'beta9[bot]', type: 'Bot' },
    };
  }

  private deploymentPayload(d: Recorded['deployments'][number]) {
    return {
      id: d.id,
      sha: d.sha,
      ref: d.ref,
      task: 'deploy',
      environment: d.environment,
      payload: d.payload,
      created_at: d.created_at,
      updated_at: d.created_at,
      creator: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    };
  }

  private statusPayload(s: Recorded['statuses'][number]) {
    return {
      id: s.id,
      state: s.state,
      description: s.description,
      log_url: s.log_url ?? '',
      environment: this.recorded.deployments.find((d) => d.id === s.deployment_id)?.environment,
      created_at: s.created_at,
      updated_at: s.created_at,
      creator: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    };
  }

  private createDeployment(body: Record<string, unknown>): [number, unknown] {
    const ref = String(body.ref ?? this.options.repo.defaultBranch);
    const deployment = {
      id: this.id(),
      sha: this.resolve(ref),
      ref,
      environment: String(body.environment ?? 'production'),
      payload: typeof body.payload === 'string' ? JSON.parse(body.payload) : (body.payload ?? {}),
      created_at: new Date().toISOString(),
    };
    this.recorded.deployments.push(deployment);
    const payload = this.deploymentPayload(deployment);
    this.forward('deployment', {
      action: 'created',
      deployment: payload,
      workflow_run: this.options.workflowRun?.() ?? null,
    });
    return [201, payload];
  }

  private createStatus(deploymentId: number, body: Record<string, unknown>): [number, unknown] {
    const deployment = this.recorded.deployments.find((d) => d.id === deploymentId);
    if (!deployment) return [404, { message: 'Not Found' }];
    const status = {
      id: this.id(),
      deployment_id: deploymentId,
      state: String(body.state),
      description: String(body.description ?? ''),
      log_url: body.log_url as string | undefined,
      created_at: new Date().toISOString(),
    };
    this.recorded.statuses.push(status);
    const payload = this.statusPayload(status);
    this.forward('deployment_status', {
      action: 'created',
      deployment_status: payload,
      deployment: this.deploymentPayload(deployment),
      workflow_run: this.options.workflowRun?.() ?? null,
    });
    return [201, payload];
  }

  /** Sends a signed delivery to the App, in creation order, as GitHub does (best effort). */
  forward(event: string, body: Record<string, unknown>): void {
    const { webhookUrl, webhookSecret } = this.options;
    if (!webhookUrl) return;
    const payload = JSON.stringify({
      ...body,
      repository: this.repository(),
      installation: { id: this.options.repo.installationId },
      sender: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    });
    const id = randomUUID();
    const signature = `sha256=${createHmac('sha256', webhookSecret ?? '')
      .update(payload)
      .digest('hex')}`;
    this.pendingWebhooks = this.pendingWebhooks.then(async () => {
      const response = await fetch(webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': id,
          'x-hub-signature-256': signature,
        },
        body: payload,
        // A delivery the App never answers is recorded as status 0 rather than stalling settled().
        signal: AbortSignal.timeout(30_000),
      }).catch(() => undefined);
      this.recorded.webhooks.push({ event, id, status: response?.status ?? 0 });
    });
  }
}

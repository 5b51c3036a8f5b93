/**
 * One repository, one fake GitHub, one server process and the bundled Action: the world the
 * end-to-end suites act in. Pull requests are real git branches; merges are real merges; each
 * push runs the Action the way apply.yml does (apply, or destroy for removed files).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { FakeGitHub, type PullRequest } from '../fakes/github.js';
import { FakeAws, FakeKubeServer } from '../action/fake-cloud.js';
import { runAction, TempRepo, type RunResult } from '../action/harness.js';
import {
  deliver,
  PRIVATE_KEY,
  ROOT,
  startServer,
  until,
  WEBHOOK_SECRET,
  type ServerProcess,
} from './harness.js';

export interface EnvironmentView {
  status: string;
  outputs: Record<string, unknown>;
  error_message: string | null;
  last_pr: { number: number } | null;
}

export class World {
  readonly repo = new TempRepo();
  readonly work = mkdtempSync(join(tmpdir(), 'beta9-e2e-'));
  readonly aws = new FakeAws();
  readonly kube = new FakeKubeServer();
  github!: FakeGitHub;
  server!: ServerProcess;
  /** Every Action run's result, for scanning output. */
  readonly runs: RunResult[] = [];
  private nextPr = 1;
  private runId = 5000;

  async start(): Promise<void> {
    this.repo.write('README.md', '# infrastructure\n');
    this.repo.commit('initial');
    await Promise.all([this.aws.start(), this.kube.start()]);
    this.aws.kubeUrl = this.kube.url;
    this.github = new FakeGitHub({
      repo: { owner: 'acme', name: 'infra', defaultBranch: 'main', dir: this.repo.dir, installationId: 77 },
      webhookSecret: WEBHOOK_SECRET,
      workflowRun: () => ({
        id: this.runId,
        name: 'beta9 apply',
        path: '.github/workflows/apply.yml',
        head_branch: 'main',
        head_sha: this.github.resolve('main'),
        html_url: `https://github.example/acme/infra/actions/runs/${this.runId}`,
      }),
    });
    await this.github.start();
    this.server = await startServer({
      APP_ID: '12345',
      PRIVATE_KEY,
      WEBHOOK_SECRET,
      GHE_HOST: this.github.host,
      GHE_PROTOCOL: 'http',
      DATABASE_PATH: join(this.work, 'index.db'),
      LOG_LEVEL: 'info',
    });
    this.github.options.webhookUrl = `${this.server.url}/api/github/webhooks`;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.github?.stop();
    this.aws.stop();
    this.kube.stop();
    rmSync(this.work, { recursive: true, force: true });
  }

  async api(path: string): Promise<{ status: number; body: unknown; text: string }> {
    const response = await fetch(`${this.server.url}${path}`);
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as unknown };
  }

  async environment(name: string): Promise<EnvironmentView> {
    return (await this.api(`/api/v1/environments/${name}`)).body as EnvironmentView;
  }

  /** Waits until the API shows `status` for the environment, and returns what it shows. */
  waitForStatus(name: string, status: string): Promise<EnvironmentView> {
    return until(`${name} to be ${status} in the API`, async () => {
      const env = await this.environment(name);
      return env.status === status ? env : undefined;
    });
  }

  private repoPayload() {
    return {
      repository: this.github.repository(),
      installation: { id: 77 },
      sender: { login: 'octocat', id: 2 },
    };
  }

  /** Opens a pull request from a branch that makes `change`, and delivers `pull_request.opened`. */
  async openPullRequest(change: () => void): Promise<PullRequest> {
    const number = this.nextPr++;
    this.repo.git('checkout', '-q', '-b', `pr-${number}`, 'main');
    change();
    this.repo.commit(`pull request ${number}`);
    this.repo.git('checkout', '-q', 'main');
    const pr: PullRequest = { number, base: 'main', head: `pr-${number}`, fork: false, merged: false };
    this.github.pulls.set(number, pr);
    const status = await deliver(this.server.url, 'pull_request', {
      action: 'opened',
      number,
      pull_request: this.github.pullPayload(pr),
      ...this.repoPayload(),
    });
    expect(status).toBe(200);
    return pr;
  }

  validateCheck(sha: string) {
    return until('the beta9 / validate check run', () =>
      this.github.recorded.checkRuns.find(
        (c) => c.name === 'beta9 / validate' && c.head_sha === sha && c.status === 'completed',
      ),
    );
  }

  comment(number: number, marker: 'intent' | 'plan') {
    return until(`the ${marker} comment`, () =>
      this.github.recorded.comments.find(
        (c) => c.issue === number && c.body.includes(`beta9-provisioner:${marker} -->`),
      ),
    );
  }

  /** Runs the bundled Action for the pull request, as plan.yml would. */
  async planPullRequest(pr: PullRequest, env: Record<string, string> = {}): Promise<RunResult> {
    const payload = {
      action: 'opened',
      number: pr.number,
      pull_request: this.github.pullPayload(pr),
      ...this.repoPayload(),
    };
    const head = this.github.resolve(pr.head);
    this.repo.git('checkout', '-q', head);
    try {
      return this.record(
        await runAction({
          actionDir: ROOT,
          repo: this.repo,
          runnerTemp: this.work,
          githubUrl: this.github.url,
          awsUrl: this.aws.url,
          eventName: 'pull_request',
          payload,
          sha: head,
          inputs: { command: 'plan' },
          env,
        }),
      );
    } finally {
      this.repo.git('checkout', '-q', 'main');
    }
  }

  /** Merges the pull request, delivers the push, and runs the apply workflow's Action for it. */
  async mergeAndApply(
    pr: PullRequest,
    env: Record<string, string> = {},
    beforeRun?: () => Promise<void>,
  ): Promise<RunResult> {
    const before = this.github.resolve('main');
    this.repo.git('merge', '-q', '--no-ff', '-m', `Merge pull request #${pr.number}`, pr.head);
    const after = this.github.resolve('main');
    pr.merged = true;
    pr.mergeCommit = after;
    return this.pushAndRun(before, after, env, beforeRun);
  }

  async pushAndRun(
    before: string,
    after: string,
    env: Record<string, string> = {},
    beforeRun?: () => Promise<void>,
  ): Promise<RunResult> {
    const files = this.github.pullFilesBetween(before, after);
    const status = await deliver(this.server.url, 'push', {
      ref: 'refs/heads/main',
      before,
      after,
      commits: [
        {
          id: after,
          added: files.filter((f) => f.status === 'added').map((f) => f.filename),
          removed: files.filter((f) => f.status === 'removed').map((f) => f.filename),
          modified: files.filter((f) => f.status === 'modified').map((f) => f.filename),
        },
      ],
      head_commit: { id: after, timestamp: new Date().toISOString() },
      ...this.repoPayload(),
    });
    expect(status).toBe(200);
    await beforeRun?.();
    // As apply.yml does: one job applies the changed environments, another destroys removed ones.
    const removed = files.some((f) => f.status === 'removed');
    this.runId++;
    const result = await runAction({
      actionDir: ROOT,
      repo: this.repo,
      runnerTemp: this.work,
      githubUrl: this.github.url,
      awsUrl: this.aws.url,
      eventName: 'push',
      payload: { ref: 'refs/heads/main', before, after, ...this.repoPayload() },
      sha: after,
      inputs: { command: removed ? 'destroy' : 'apply' },
      env: { GITHUB_RUN_ID: String(this.runId), ...env },
    });
    await this.github.settled();
    return this.record(result);
  }

  private record(result: RunResult): RunResult {
    this.runs.push(result);
    return result;
  }
}

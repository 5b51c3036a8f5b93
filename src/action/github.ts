import { Octokit } from '@octokit/rest';
import type { DeploymentPayload, Operation, RunReport, Status } from '../engine/report/types.js';

/** Marks the one plan comment per pull request that the Action owns and edits in place. */
export const PLAN_COMMENT_MARKER = '<!-- beta9-provisioner:plan -->';
/** Hidden block in the plan comment holding the reviewed plan as JSON, read back by `apply`. */
export const PLAN_DATA_START = '<!-- beta9-provisioner:plan-data';
export const PLAN_DATA_END = '-->';

export type ReportKind = 'report' | 'drift';
/** `beta9 / report / <env>` is the contract the App reads; drift checks get their own name so they never shadow it. */
export const reportCheckName = (environment: string, kind: ReportKind = 'report') =>
  `beta9 / ${kind} / ${environment}`;

/** Deployment status state for each lifecycle status (DESIGN.md "Status lifecycle"). */
export function deploymentState(
  status: Status,
): 'queued' | 'in_progress' | 'success' | 'failure' | 'pending' {
  switch (status) {
    case 'queued':
    case 'destroy_queued':
      return 'queued';
    case 'provisioning':
    case 'bootstrapping':
    case 'destroying':
      return 'in_progress';
    case 'ready':
    case 'destroyed':
      return 'success';
    case 'failed':
      return 'failure';
    default:
      return 'pending';
  }
}

/** The description begins with the phase word; GitHub caps it at 140 characters. */
export function statusDescription(status: Status, reason?: string): string {
  const text =
    status === 'failed' ? `failed: ${reason ?? 'unknown error'}` : reason ? `${status}: ${reason}` : status;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 140 ? flat : `${flat.slice(0, 139)}…`;
}

/** Everything the Action tells GitHub. Commands depend on this interface, never on Octokit. */
export interface GitHubReporter {
  createDeployment(environment: string, operation: Operation, sha: string): Promise<number>;
  setDeploymentStatus(deploymentId: number, status: Status, reason?: string): Promise<void>;
  /** Creates the sticky plan comment, or edits it when it exists. */
  upsertPlanComment(pullNumber: number, body: string): Promise<{ id: number; created: boolean }>;
  /** Body of the sticky plan comment of a pull request, if any. */
  findPlanComment(pullNumber: number): Promise<string | undefined>;
  /** Pull requests a commit belongs to (the merged PR of a push). */
  pullRequestsForCommit(sha: string): Promise<number[]>;
  /** The run report as the check run `beta9 / report / <environment>` (or `beta9 / drift / …`) on the commit. */
  publishReport(report: RunReport, kind?: ReportKind): Promise<void>;
}

export interface GitHubTarget {
  apiUrl: string;
  owner: string;
  repo: string;
  runUrl: string;
}

export function createGitHubReporter(token: string, target: GitHubTarget, octokit?: Octokit): GitHubReporter {
  const gh =
    octokit ?? new Octokit({ auth: token, baseUrl: target.apiUrl, userAgent: 'beta9-provisioner-action' });
  const { owner, repo } = target;

  async function findComment(pullNumber: number): Promise<{ id: number; body: string } | undefined> {
    const comments = await gh.paginate(gh.rest.issues.listComments, {
      owner,
      repo,
      issue_number: pullNumber,
      per_page: 100,
    });
    const mine = comments.find((c) => (c.body ?? '').includes(PLAN_COMMENT_MARKER));
    return mine ? { id: mine.id, body: mine.body ?? '' } : undefined;
  }

  return {
    async createDeployment(environment, operation, sha) {
      const payload: DeploymentPayload = { beta9: { environment, operation } };
      const res = await gh.rest.repos.createDeployment({
        owner,
        repo,
        ref: sha,
        environment,
        auto_merge: false,
        // The App and branch protection judge the commit; the deployment must not wait for checks.
        required_contexts: [],
        payload: payload as unknown as Record<string, unknown>,
        description: `beta9 ${operation} of ${environment}`,
        transient_environment: false,
        production_environment: false,
      });
      if (res.status !== 201 || !('id' in res.data)) {
        throw new Error(
          `GitHub did not create a deployment for ${environment}: ${JSON.stringify(res.data).slice(0, 200)}`,
        );
      }
      return res.data.id;
    },
    async setDeploymentStatus(deploymentId, status, reason) {
      await gh.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: deploymentId,
        state: deploymentState(status),
        description: statusDescription(status, reason),
        log_url: target.runUrl,
        environment_url: target.runUrl,
      });
    },
    async upsertPlanComment(pullNumber, body) {
      const existing = await findComment(pullNumber);
      if (existing) {
        await gh.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
        return { id: existing.id, created: false };
      }
      const res = await gh.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body });
      return { id: res.data.id, created: true };
    },
    async findPlanComment(pullNumber) {
      return (await findComment(pullNumber))?.body;
    },
    async pullRequestsForCommit(sha) {
      const res = await gh.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha });
      return res.data.filter((p) => p.merged_at !== null).map((p) => p.number);
    },
    async publishReport(report, kind = 'report') {
      const text = JSON.stringify(report, null, 2);
      await gh.rest.checks.create({
        owner,
        repo,
        name: reportCheckName(report.environment, kind),
        head_sha: report.commit,
        status: 'completed',
        conclusion: report.status === 'failed' ? 'failure' : 'success',
        started_at: report.started_at,
        completed_at: report.finished_at,
        details_url: report.run_url,
        external_id: `${report.environment}:${kind === 'drift' ? 'drift' : report.operation}`,
        output: {
          title:
            kind === 'drift'
              ? `${report.environment}: ${report.drift?.detected ? 'drift detected' : report.error ? 'check failed' : 'in sync'}`
              : `${report.environment}: ${report.status}`,
          summary: report.error
            ? `${report.operation} of ${report.environment} failed: ${report.error.message}`.slice(0, 1000)
            : `${report.operation} of ${report.environment} finished: ${report.status}`,
          text: text.length <= 65535 ? text : JSON.stringify({ ...report, outputs: {}, truncated: true }),
        },
      });
    },
  };
}

/** For runs that must not or cannot write to GitHub (fork pull requests, local runs). */
export class NullGitHubReporter implements GitHubReporter {
  private next = 1;
  readonly calls: string[] = [];
  async createDeployment(environment: string, operation: Operation) {
    this.calls.push(`deployment ${environment} ${operation}`);
    return this.next++;
  }
  async setDeploymentStatus(id: number, status: Status, reason?: string) {
    this.calls.push(`status ${id} ${statusDescription(status, reason)}`);
  }
  async upsertPlanComment(_pullNumber: number, _body: string): Promise<{ id: number; created: boolean }> {
    this.calls.push('comment');
    return { id: 0, created: false };
  }
  async findPlanComment(_pullNumber: number): Promise<string | undefined> {
    return undefined;
  }
  async pullRequestsForCommit(_sha: string): Promise<number[]> {
    return [];
  }
  async publishReport(report: RunReport, kind: ReportKind = 'report') {
    this.calls.push(`${kind} ${report.environment} ${report.status}`);
  }
}

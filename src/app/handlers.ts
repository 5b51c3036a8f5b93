/**
 * Probot wiring. Each handler filters, says why it skips, and delegates to one service;
 * the business logic lives in src/app/services/.
 */
import type { ApplicationFunction, Context, Probot } from 'probot';
import type { Logger } from 'pino';
import type { DeliveryResult } from './metrics.js';
import type { DeliveryContext, ServiceDeps } from './services/context.js';
import { iso } from './services/context.js';
import { indexRepository } from './services/indexer.js';
import { PullRequestService } from './services/pull-request.js';
import type { ReportService } from './services/reports.js';
import { StatusService, type Outcome, type WorkflowRunInfo } from './services/status.js';
import { ENVIRONMENT_FILE, splitRepo, type GitHub } from './github.js';

export interface AppServices {
  deps: ServiceDeps;
  pullRequests: PullRequestService;
  status: StatusService;
  reports: ReportService;
  /** Hears what became of each delivery (for metrics). */
  onOutcome?: (deliveryId: string, result: DeliveryResult) => void;
}

export function createServices(deps: ServiceDeps, reports: ReportService): AppServices {
  return { deps, pullRequests: new PullRequestService(deps), status: new StatusService(deps), reports };
}

/** Loose views of payload fields the generated types do not always declare (`workflow_run.path`). */
type Loose = Record<string, unknown>;
const runOf = (payload: unknown): WorkflowRunInfo | null =>
  ((payload as Loose).workflow_run as WorkflowRunInfo) ?? null;
const workflowOf = (payload: unknown) =>
  ((payload as Loose).workflow as { name?: string | null; path?: string | null } | null | undefined) ?? null;
const installationOf = (payload: unknown): number | null =>
  ((payload as Loose).installation as { id?: number } | undefined)?.id ?? null;

export function createAppFunction(services: AppServices): ApplicationFunction {
  const { deps } = services;
  const outcome = (delivery: DeliveryContext, result: DeliveryResult): void =>
    services.onOutcome?.(delivery.id, result);

  function delivery(context: Context): DeliveryContext {
    const log: Logger = deps.log.child({ delivery: context.id, event: context.name });
    return { id: context.id, event: context.name, log };
  }

  /** Skips a redelivery before any API call; the transaction's claim is what decides. */
  function seen(d: DeliveryContext): boolean {
    if (!deps.store.hasDelivery(d.id)) return false;
    d.log.info('Delivery already applied; a redelivery changes nothing');
    outcome(d, 'duplicate');
    return true;
  }

  function finish(d: DeliveryContext, result: Outcome): void {
    outcome(d, result.result);
  }

  /** Fetches reports of operations that just finished; failures stay queued for the retry timer. */
  async function fetchReports(d: DeliveryContext): Promise<void> {
    try {
      await services.reports.processDue();
    } catch (error) {
      d.log.error({ err: error }, 'Report fetch failed; it stays queued');
    }
  }

  return (app: Probot) => {
    app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'], async (context) => {
      const d = delivery(context);
      const pr = context.payload.pull_request;
      const repository = context.payload.repository;
      if (seen(d)) return;
      if (pr.state !== 'open') {
        d.log.info(`Not validating #${pr.number}: it is ${pr.state}`);
        return outcome(d, 'ignored');
      }
      const headRepo = pr.head.repo?.full_name ?? null;
      await services.pullRequests.validate(
        context.octokit as GitHub,
        {
          repo: splitRepo(repository.full_name),
          fullName: repository.full_name,
          number: pr.number,
          headSha: pr.head.sha,
          defaultBranch: repository.default_branch,
          fork: headRepo !== pr.base.repo.full_name ? (headRepo ?? 'a deleted fork') : null,
        },
        d,
      );
      deps.store.transaction(() => deps.store.claimDelivery(d.id, d.event, deps.now().toISOString()));
      outcome(d, 'accepted');
    });

    app.on('push', async (context) => {
      const d = delivery(context);
      const { payload } = context;
      const branch = `refs/heads/${payload.repository.default_branch}`;
      if (payload.ref !== branch) {
        d.log.info(`Not indexing push to ${payload.ref}: only ${branch} declares environments`);
        return outcome(d, 'ignored');
      }
      if (payload.deleted || /^0+$/.test(payload.after)) {
        d.log.info('Not indexing a push that deletes the default branch');
        return outcome(d, 'ignored');
      }
      // The payload lists at most 20 commits; with fewer, they say exactly which files changed.
      const commits = payload.commits ?? [];
      const listed = commits.length > 0 && commits.length < 20;
      const touched = listed
        ? new Set(
            commits
              .flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])])
              .filter((f) => ENVIRONMENT_FILE.test(f)),
          )
        : await changedPaths(
            context.octokit as GitHub,
            payload.repository.full_name,
            payload.before,
            payload.after,
            d,
          );
      if (listed && (touched as Set<string>).size === 0) {
        d.log.info(`Not indexing push ${payload.after.slice(0, 7)}: no file under environments/ changed`);
        return outcome(d, 'ignored');
      }
      if (seen(d)) return;
      const pushedAt = pushTime(payload.repository.pushed_at, payload.head_commit?.timestamp ?? undefined);
      const result = await indexRepository(
        deps,
        context.octokit as GitHub,
        {
          fullName: payload.repository.full_name,
          ref: payload.after,
          installationId: installationOf(payload),
          delivery: d,
          mode: 'push',
          touched,
          pushedAt,
          commit: payload.after,
        },
        d.log,
      );
      if (result.duplicate) return outcome(d, 'duplicate');
      if (result.reportsQueued) await fetchReports(d);
      d.log.info(
        { queued: result.queued, destroy_queued: result.destroyQueued, skipped: result.skipped.length },
        `Indexed push ${payload.after.slice(0, 7)} to ${payload.repository.full_name}`,
      );
      outcome(d, 'accepted');
    });

    app.on(['installation.created', 'installation.new_permissions_accepted'], async (context) => {
      const d = delivery(context);
      const repos = (context.payload.repositories ?? []).map((r) => r.full_name);
      await indexInstallation(d, context.octokit as GitHub, repos, context.payload.installation.id);
    });

    app.on('installation_repositories.added', async (context) => {
      const d = delivery(context);
      const repos = context.payload.repositories_added.map((r) => r.full_name);
      await indexInstallation(d, context.octokit as GitHub, repos, context.payload.installation.id);
    });

    async function indexInstallation(
      d: DeliveryContext,
      gh: GitHub,
      repos: string[],
      installationId: number,
    ) {
      if (seen(d)) return;
      if (repos.length === 0) {
        d.log.info('No repositories in this installation event');
        return outcome(d, 'ignored');
      }
      for (const [i, fullName] of repos.entries()) {
        const { data } = await gh.rest.repos.get({ ...splitRepo(fullName) });
        // The delivery is claimed with the last repository's writes, so a failure half-way is redone in full.
        const last = i === repos.length - 1;
        const result = await indexRepository(
          deps,
          gh,
          {
            fullName,
            ref: data.default_branch,
            installationId,
            delivery: last ? d : null,
            mode: 'install',
          },
          d.log,
        );
        d.log.info(
          { repo: fullName, indexed: result.indexed, skipped: result.skipped.length },
          `Indexed ${fullName} from ${data.default_branch}`,
        );
        if (result.reportsQueued) await fetchReports(d);
      }
      outcome(d, 'accepted');
    }

    app.on('deployment.created', async (context) => {
      const d = delivery(context);
      const { payload } = context;
      if (seen(d)) return;
      const result = await services.status.deploymentCreated(d, {
        deployment: payload.deployment as never,
        repository: payload.repository,
        run: runOf(payload),
        workflow: workflowOf(payload),
        installationId: installationOf(payload),
      });
      finish(d, result);
    });

    app.on('deployment_status.created', async (context) => {
      const d = delivery(context);
      const { payload } = context;
      if (seen(d)) return;
      const result = await services.status.deploymentStatusCreated(d, {
        deployment: payload.deployment as never,
        status: payload.deployment_status,
        repository: payload.repository,
        run: runOf(payload),
        workflow: workflowOf(payload),
        installationId: installationOf(payload),
      });
      finish(d, result);
      // Finishing the report fetch inside the delivery keeps shutdown from cutting it off.
      if (result.applied?.some((a) => a.reportQueued)) await fetchReports(d);
    });

    app.on('check_run.completed', async (context) => {
      const d = delivery(context);
      const { payload } = context;
      if (!payload.check_run.name.startsWith('beta9 / drift / ')) {
        d.log.debug(`Not a drift check: ${payload.check_run.name}`);
        return outcome(d, 'ignored');
      }
      if (seen(d)) return;
      const result = await services.status.driftChecked(d, {
        checkRun: payload.check_run as never,
        headBranch: payload.check_run.check_suite?.head_branch,
        repository: payload.repository,
      });
      finish(d, result);
    });

    app.on('workflow_run.completed', async (context) => {
      const d = delivery(context);
      const { payload } = context;
      if (seen(d)) return;
      const result = await services.status.workflowRunCompleted(d, {
        run: payload.workflow_run as unknown as WorkflowRunInfo,
        repository: payload.repository,
        workflow: workflowOf(payload),
      });
      finish(d, result);
    });
  };
}

/** Environment files changed between two commits (compare API), or `all` when that cannot be told. */
async function changedPaths(
  gh: GitHub,
  fullName: string,
  before: string,
  after: string,
  d: DeliveryContext,
): Promise<Set<string> | 'all'> {
  if (/^0+$/.test(before)) return 'all';
  try {
    const { data } = await gh.rest.repos.compareCommitsWithBasehead({
      ...splitRepo(fullName),
      basehead: `${before}...${after}`,
    });
    const files = data.files ?? [];
    // The compare API lists at most 300 files; beyond that, treat every environment as changed.
    if (files.length >= 300) return 'all';
    return new Set(
      files.flatMap((f) => [f.filename, f.previous_filename ?? '']).filter((f) => ENVIRONMENT_FILE.test(f)),
    );
  } catch (error) {
    d.log.warn(
      { err: (error as Error).message },
      'Could not compare the push; treating every environment file as changed',
    );
    return 'all';
  }
}

/** When the push happened: `repository.pushed_at` (seconds), else the head commit's time. */
export function pushTime(pushedAt: unknown, headCommitTime: string | undefined): string {
  if (typeof pushedAt === 'number') return iso(pushedAt * 1000);
  if (typeof pushedAt === 'string' && pushedAt) return iso(pushedAt);
  // The server's clock would order it wrongly; the payload check refuses such pushes before this.
  if (!headCommitTime)
    throw new Error('the push carries no time (repository.pushed_at or head_commit.timestamp)');
  return iso(headCommitTime);
}

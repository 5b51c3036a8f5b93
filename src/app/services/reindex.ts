/**
 * `reindex`: rebuilds a repository's part of the index from what GitHub holds: the
 * environment files on the default branch, the Beta9 deployments and their statuses.
 * The index is only a cache; this is how it is recovered or checked.
 */
import type { Operation } from '../../engine/report/types.js';
import { parsePhase, type LifecycleEvent } from '../lifecycle.js';
import { ENVIRONMENT_FILE, listEnvironmentFiles, readFile, splitRepo, type GitHub } from '../github.js';
import type { DeliveryContext, ServiceDeps } from './context.js';
import { iso } from './context.js';
import type { ParsedFile } from './indexer.js';
import { formatDiagnostic } from '../../engine/config/types.js';
import { applyLifecycleEvent, recordFromConfig } from './records.js';
import { beta9Payload } from './status.js';

export interface ReindexResult {
  repo: string;
  environments: { name: string; status: string }[];
  deployments: number;
  skipped: { path: string; reason: string }[];
}

interface Timeline {
  events: { event: LifecycleEvent; runUrl: string | null; sha: string }[];
  lastApplySha: string | null;
}

export async function reindexRepository(
  deps: ServiceDeps,
  gh: GitHub,
  input: { fullName: string; installationId: number | null },
  log: DeliveryContext['log'],
): Promise<ReindexResult> {
  const { store } = deps;
  const where = splitRepo(input.fullName);
  const { data: repository } = await gh.rest.repos.get({ ...where });
  const branch = repository.default_branch;
  const result: ReindexResult = { repo: input.fullName, environments: [], deployments: 0, skipped: [] };

  const declared = new Map<string, ParsedFile>();
  const parse = (path: string, text: string, sha: string | null): void => {
    const { config, diagnostics } = deps.engine.parse(path, text);
    if (!config || diagnostics.length > 0) {
      result.skipped.push({ path, reason: diagnostics.map(formatDiagnostic).join('; ') || 'did not parse' });
      return;
    }
    declared.set(config.name, { path, sha, config, model: deps.engine.model(config) });
  };
  for (const file of await listEnvironmentFiles(gh, where, branch)) {
    const content = await readFile(gh, where, file.path, branch);
    if (content) parse(file.path, content.text, content.sha);
  }

  // The Action deploys a commit sha; it counts when that commit is on the default branch.
  const verdicts = new Map<string, boolean>();
  const onDefaultBranch = async (ref: string): Promise<boolean> => {
    if (ref === branch || ref === `refs/heads/${branch}`) return true;
    if (!/^[0-9a-f]{40}$/.test(ref)) return false;
    if (!verdicts.has(ref)) {
      try {
        const { data } = await gh.rest.repos.compareCommitsWithBasehead({
          ...where,
          basehead: `${branch}...${ref}`,
          per_page: 1,
        });
        verdicts.set(ref, data.status === 'identical' || data.status === 'behind');
      } catch {
        verdicts.set(ref, false);
      }
    }
    return verdicts.get(ref)!;
  };

  // Deployments of the apply/destroy workflow on the default branch, with every status.
  const timelines = new Map<string, Timeline>();
  const deployments = await gh.paginate(gh.rest.repos.listDeployments, { ...where, per_page: 100 });
  for (const deployment of deployments) {
    const beta9 = beta9Payload({ ...deployment, payload: deployment.payload as unknown });
    if (!beta9 || beta9.environment !== deployment.environment) continue;
    if (!(await onDefaultBranch(deployment.ref))) {
      log.info(
        { environment: beta9.environment, deployment: deployment.id },
        `Skipping deployment from ref ${deployment.ref}`,
      );
      continue;
    }
    result.deployments++;
    const timeline = timelines.get(beta9.environment) ?? { events: [], lastApplySha: null };
    timelines.set(beta9.environment, timeline);
    const operation: Operation = beta9.operation;
    if (operation === 'apply') timeline.lastApplySha = deployment.sha;
    timeline.events.push({
      event: {
        kind: 'deployment',
        deploymentId: deployment.id,
        at: iso(deployment.created_at),
        operation,
        runId: null,
      },
      runUrl: null,
      sha: deployment.sha,
    });
    const statuses = await gh.paginate(gh.rest.repos.listDeploymentStatuses, {
      ...where,
      deployment_id: deployment.id,
      per_page: 100,
    });
    for (const status of statuses) {
      const phase = parsePhase(status.state, status.description, operation);
      if (!phase) continue;
      timeline.events.push({
        event: {
          kind: 'status',
          deploymentId: deployment.id,
          statusId: status.id,
          at: iso(status.created_at),
          operation,
          phase: phase.phase,
          reason: phase.reason,
          runId: null,
        },
        runUrl: status.log_url ?? status.target_url ?? null,
        sha: deployment.sha,
      });
    }
  }

  // Environments whose file is gone (destroyed ones) are recovered from their last applied commit.
  for (const [name, timeline] of timelines) {
    if (declared.has(name) || !timeline.lastApplySha) continue;
    for (const path of [`environments/${name}.yaml`, `environments/${name}.yml`]) {
      if (!ENVIRONMENT_FILE.test(path)) continue;
      const content = await readFile(gh, where, path, timeline.lastApplySha);
      if (content) {
        parse(path, content.text, null);
        break;
      }
    }
  }

  const at = deps.now().toISOString();
  store.transaction(() => {
    for (const record of store.environmentsOfRepo(input.fullName)) store.purgeEnvironment(record.name);
    for (const [name, file] of declared) {
      const existing = store.getEnvironment(name);
      if (existing && existing.repo !== input.fullName && existing.status !== 'destroyed') {
        result.skipped.push({ path: file.path, reason: `the name is already declared by ${existing.repo}` });
        continue;
      }
      if (existing) store.purgeEnvironment(name);
      store.putEnvironment(recordFromConfig({ repo: input.fullName, ...file, at }, undefined));
      store.putSync(name, { file_sha: file.sha, installation_id: input.installationId });
      // Everything parked for it is among the deployments replayed below.
      store.takeOrphanEvents(name, input.fullName);

      const events = (timelines.get(name)?.events ?? []).sort((a, b) => compare(a.event, b.event));
      events.forEach(({ event, runUrl, sha }, i) => {
        const last = i === events.length - 1;
        applyLifecycleEvent(deps, name, event, {
          deliveryId: null,
          log,
          runUrl,
          commit: sha,
          // Only the final state's report is worth fetching.
          report: last ? { repo: input.fullName, sha, installationId: input.installationId } : undefined,
        });
      });
      result.environments.push({ name, status: store.getEnvironment(name)!.status });
    }
  });
  log.info(
    {
      repo: input.fullName,
      environments: result.environments,
      deployments: result.deployments,
      skipped: result.skipped,
    },
    `Reindexed ${input.fullName}: ${result.environments.length} environment(s), ${result.deployments} deployment(s)`,
  );
  return result;
}

/** In-order: by deployment id, then the creation before its statuses, by status id. */
function compare(a: LifecycleEvent, b: LifecycleEvent): number {
  const key = (e: LifecycleEvent): [number, number] =>
    e.kind === 'deployment'
      ? [e.deploymentId, 0]
      : e.kind === 'status'
        ? [e.deploymentId, e.statusId]
        : [Infinity, 0];
  const [ad, as] = key(a);
  const [bd, bs] = key(b);
  return ad !== bd ? ad - bd : as - bs;
}

/**
 * Indexing environment files: from a repository's default branch (installation, push,
 * reindex) or from a local directory (the embedded mode without a GitHub App).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, type MetaConfig } from '../../engine/config/types.js';
import type { InfraModel } from '../../engine/model/types.js';
import { ENVIRONMENT_FILE, listEnvironmentFiles, readFile, splitRepo, type GitHub } from '../github.js';
import type { DeliveryContext, ServiceDeps } from './context.js';
import { applyLifecycleEvent, recordFromConfig, replayParked } from './records.js';

export interface ParsedFile {
  path: string;
  sha: string | null;
  config: MetaConfig;
  model: InfraModel;
}

export interface IndexResult {
  duplicate: boolean;
  /** Parked deployment events were replayed and queued report fetches. */
  reportsQueued?: boolean;
  indexed: string[];
  queued: string[];
  destroyQueued: string[];
  skipped: { path: string; reason: string }[];
}

/** Parses one file; logs and returns undefined when it is invalid (the PR check is where authors see why). */
function parseFile(
  deps: Pick<ServiceDeps, 'engine'>,
  log: DeliveryContext['log'],
  path: string,
  text: string,
  skipped: IndexResult['skipped'],
): { config: MetaConfig; model: InfraModel } | undefined {
  const { config, diagnostics } = deps.engine.parse(path, text);
  if (!config || diagnostics.length > 0) {
    const reason = diagnostics.map(formatDiagnostic).join('; ') || 'the file did not parse';
    log.warn({ path, problems: diagnostics.map(formatDiagnostic) }, `Not indexing ${path}: it is invalid`);
    skipped.push({ path, reason });
    return undefined;
  }
  return { config, model: deps.engine.model(config) };
}

/**
 * Brings a repository's environments in the index up to date with `ref`.
 *
 * `mode: 'install'` declares every file (new ones are `pending`). `mode: 'push'` marks the
 * environments whose file the push touched `queued` (still there) or `destroy_queued` (gone);
 * files it did not touch are only declared when the index does not know them yet (a push
 * overtaken by a later one). File content is versioned by the push time, so an older push
 * arriving late never overwrites newer content.
 */
export async function indexRepository(
  deps: ServiceDeps,
  gh: GitHub,
  input: {
    fullName: string;
    ref: string;
    installationId: number | null;
    delivery: DeliveryContext | null;
    mode: 'install' | 'push';
    /** Paths the push added, modified or removed (push mode); `all` when that is unknown. */
    touched?: ReadonlySet<string> | 'all';
    /** Time of the push, for ordering against deployments. */
    pushedAt?: string;
    commit?: string;
  },
  log: DeliveryContext['log'],
): Promise<IndexResult> {
  const { store } = deps;
  const where = splitRepo(input.fullName);
  const result: IndexResult = { duplicate: false, indexed: [], queued: [], destroyQueued: [], skipped: [] };
  const push = input.mode === 'push';
  const at = deps.now().toISOString();
  const contentAt = push ? (input.pushedAt ?? at) : null;
  const touched = input.touched ?? new Set<string>();
  const wasTouched = (path: string): boolean => push && (touched === 'all' || touched.has(path));
  const files = await listEnvironmentFiles(gh, where, input.ref);
  const known = new Map(store.environmentsOfRepo(input.fullName).map((r) => [r.name, r]));
  const newer = (name: string): boolean => {
    const fileAt = store.getSync(name)?.file_at ?? null;
    return contentAt === null || fileAt === null || fileAt < contentAt;
  };

  // The same content pushed again (a redelivered or replayed push) after it was deployed changes nothing.
  const alreadyDeployed = (name: string, sha: string | null): boolean => {
    const sync = store.getSync(name);
    return (
      sha !== null &&
      sync?.file_sha === sha &&
      sync.source === 'deployment' &&
      sync.file_at !== null &&
      sync.source_at !== null &&
      sync.source_at >= sync.file_at
    );
  };

  const parsed: (ParsedFile & { touched: boolean })[] = [];
  for (const file of files) {
    const name = ENVIRONMENT_FILE.exec(file.path)![1]!;
    const isTouched = wasTouched(file.path);
    const sync = known.has(name) ? store.getSync(name) : undefined;
    // Skip the download when the content cannot change the index.
    if (known.has(name) && !isTouched && (push || sync?.file_sha === file.sha)) continue;
    const content = await readFile(gh, where, file.path, input.ref);
    if (!content) continue;
    const ok = parseFile(deps, log, file.path, content.text, result.skipped);
    if (ok) parsed.push({ path: file.path, sha: content.sha, ...ok, touched: isTouched });
  }
  const present = new Set(files.map((f) => f.path));
  const removed = push ? [...known.values()].filter((r) => wasTouched(r.path) && !present.has(r.path)) : [];

  // The pull request that brought the change, for "last changed by" in the API.
  const changes = parsed.some((f) => f.touched) || removed.length > 0;
  const pr = push && changes && input.commit ? await mergedPullRequest(gh, where, input.commit, log) : null;

  store.transaction(() => {
    if (input.delivery && !store.claimDelivery(input.delivery.id, input.delivery.event, at)) {
      result.duplicate = true;
      return;
    }
    const ctx = { deliveryId: input.delivery?.id ?? null, log, commit: input.commit ?? null };
    for (const file of parsed) {
      const name = file.config.name;
      const existing = store.getEnvironment(name);
      if (existing && existing.repo !== input.fullName) {
        if (existing.status !== 'destroyed') {
          const reason = `the name '${name}' is already declared by ${existing.repo} (${existing.path})`;
          log.error({ environment: name, path: file.path }, `Not indexing ${file.path}: ${reason}`);
          result.skipped.push({ path: file.path, reason });
          continue;
        }
        store.purgeEnvironment(name);
      }
      const current = existing && existing.repo === input.fullName ? existing : undefined;
      if (!current || newer(name)) {
        const record = recordFromConfig({ repo: input.fullName, ...file, at }, current);
        store.putEnvironment(file.touched ? { ...record, last_pr: pr } : record);
        store.putSync(name, {
          file_sha: file.sha,
          file_at: contentAt,
          installation_id: input.installationId,
        });
        result.indexed.push(name);
        // Deployment events that overtook this declaration apply now.
        if (!current && replayParked(deps, name, input.fullName, log).some((a) => a.reportQueued)) {
          result.reportsQueued = true;
        }
      }
      if (file.touched && alreadyDeployed(name, file.sha)) {
        log.info(
          { environment: name },
          `Push leaves ${name} as it is: this content is already indexed and deployed`,
        );
      } else if (file.touched) {
        const applied = applyLifecycleEvent(
          deps,
          name,
          { kind: 'push', at: input.pushedAt ?? at, operation: 'apply', commit: input.commit },
          ctx,
        );
        if (applied.changed) result.queued.push(name);
      }
    }
    for (const record of removed) {
      if (newer(record.name)) {
        store.putEnvironment({ ...store.getEnvironment(record.name)!, last_pr: pr });
        store.putSync(record.name, { file_at: contentAt });
      }
      const applied = applyLifecycleEvent(
        deps,
        record.name,
        { kind: 'push', at: input.pushedAt ?? at, operation: 'destroy', commit: input.commit },
        ctx,
      );
      if (applied.changed) result.destroyQueued.push(record.name);
    }
  });
  return result;
}

/** The merged pull request a commit came from, or null (a direct push, or the lookup failed). */
async function mergedPullRequest(
  gh: GitHub,
  where: { owner: string; repo: string },
  commit: string,
  log: DeliveryContext['log'],
): Promise<{ number: number; url: string } | null> {
  try {
    const { data } = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
      ...where,
      commit_sha: commit,
    });
    const pr = data.find((p) => p.merged_at !== null) ?? data[0];
    return pr ? { number: pr.number, url: pr.html_url } : null;
  } catch (error) {
    log.warn(
      { err: (error as Error).message },
      `Could not look up the pull request of ${commit.slice(0, 7)}`,
    );
    return null;
  }
}

/**
 * The embedded mode: declares every valid file of a local `environments/` directory as a
 * `pending` environment of repo `local`, and forgets local ones whose file is gone.
 */
export function indexLocalDirectory(
  deps: Pick<ServiceDeps, 'store' | 'engine' | 'now'>,
  dir: string,
  log: DeliveryContext['log'],
): IndexResult {
  const result: IndexResult = { duplicate: false, indexed: [], queued: [], destroyQueued: [], skipped: [] };
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
  } catch (error) {
    log.warn({ dir, err: (error as Error).message }, `No environments indexed: cannot read ${dir}`);
    return result;
  }
  const parsed: ParsedFile[] = [];
  for (const file of names) {
    const path = `environments/${file}`;
    const ok = parseFile(deps, log, path, readFileSync(join(dir, file), 'utf8'), result.skipped);
    if (ok) parsed.push({ path, sha: null, ...ok });
  }
  const at = deps.now().toISOString();
  deps.store.transaction(() => {
    const seen = new Set<string>();
    for (const file of parsed) {
      const existing = deps.store.getEnvironment(file.config.name);
      if (existing && existing.repo !== 'local') {
        result.skipped.push({ path: file.path, reason: `already declared by ${existing.repo}` });
        continue;
      }
      deps.store.putEnvironment(recordFromConfig({ repo: 'local', ...file, at }, existing));
      seen.add(file.config.name);
      result.indexed.push(file.config.name);
    }
    for (const record of deps.store.environmentsOfRepo('local')) {
      if (!seen.has(record.name)) deps.store.purgeEnvironment(record.name);
    }
  });
  return result;
}

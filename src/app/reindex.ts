import type { Logger } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createEngine, type AppEngine } from './engine.js';
import type { GitHub } from './github.js';
import { splitRepo } from './github.js';
import { GITHUB_VARIABLES, SettingsError, type Settings } from './settings.js';
import type { ServiceDeps } from './services/context.js';
import { reindexRepository, type ReindexResult } from './services/reindex.js';
import { ReportService } from './services/reports.js';
import { IndexStore } from './store/store.js';

export interface ReindexOptions {
  /** `owner/repo` names; empty means every repository of every installation. */
  repos: string[];
  logger: Logger;
  now?: () => Date;
  Octokit?: typeof ProbotOctokit;
  engine?: AppEngine;
}

/**
 * Rebuilds the index from GitHub for some repositories or all installations, then fetches
 * the run reports of the final states. Safe while the server runs (SQLite WAL; the API
 * notices writes from other connections).
 */
export async function runReindex(settings: Settings, options: ReindexOptions): Promise<ReindexResult[]> {
  const github = settings.github;
  if (!github) {
    throw new SettingsError([
      `reindex reads from GitHub and needs a GitHub App: set ${GITHUB_VARIABLES.join(', ')}.`,
    ]);
  }
  const now = options.now ?? (() => new Date());
  const store = new IndexStore(settings.databasePath, { staleAfterMs: settings.staleAfterMs, now });
  const probot = new Probot({
    appId: github.appId,
    privateKey: github.privateKey,
    secret: github.webhookSecret,
    baseUrl: github.baseUrl,
    log: options.logger.child({ component: 'probot' }),
    Octokit: options.Octokit ?? ProbotOctokit,
  });
  const deps: ServiceDeps = {
    store,
    engine: options.engine ?? createEngine(),
    log: options.logger,
    now,
    settings,
    auth: async (id) => (await probot.auth(id ?? undefined)) as GitHub,
  };
  try {
    const app = (await probot.auth()) as GitHub;
    const targets: { fullName: string; installationId: number }[] = [];
    if (options.repos.length > 0) {
      for (const fullName of options.repos) {
        const { data } = await app.rest.apps.getRepoInstallation({ ...splitRepo(fullName) });
        targets.push({ fullName, installationId: data.id });
      }
    } else {
      const installations = await app.paginate(app.rest.apps.listInstallations, { per_page: 100 });
      for (const installation of installations) {
        const gh = await deps.auth(installation.id);
        const repos = await gh.paginate(gh.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
        for (const repo of repos) targets.push({ fullName: repo.full_name, installationId: installation.id });
      }
    }
    const results: ReindexResult[] = [];
    for (const target of targets) {
      const gh = await deps.auth(target.installationId);
      results.push(
        await reindexRepository(deps, gh, target, options.logger.child({ repo: target.fullName })),
      );
    }
    await new ReportService(deps).processDue();
    return results;
  } finally {
    store.close();
  }
}

import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  ENVIRONMENT_FILE,
  IndexStore,
  ReportService,
  applyLifecycleEvent,
  beta9Payload,
  createEngine,
  iso,
  listEnvironmentFiles,
  parsePhase,
  readFile,
  recordFromConfig,
  splitRepo
} from "./chunk-V2KDJLQG.js";
import {
  GITHUB_VARIABLES,
  SettingsError,
  formatDiagnostic
} from "./chunk-W6VJJCRI.js";
import "./chunk-LRYD2BFO.js";

// src/app/reindex.ts
import { Probot, ProbotOctokit } from "probot";

// src/app/services/reindex.ts
async function reindexRepository(deps, gh, input, log) {
  const { store } = deps;
  const where = splitRepo(input.fullName);
  const { data: repository } = await gh.rest.repos.get({ ...where });
  const branch = repository.default_branch;
  const result = { repo: input.fullName, environments: [], deployments: 0, skipped: [] };
  const declared = /* @__PURE__ */ new Map();
  const parse = (path, text, sha) => {
    const { config, diagnostics } = deps.engine.parse(path, text);
    if (!config || diagnostics.length > 0) {
      result.skipped.push({ path, reason: diagnostics.map(formatDiagnostic).join("; ") || "did not parse" });
      return;
    }
    declared.set(config.name, { path, sha, config, model: deps.engine.model(config) });
  };
  for (const file of await listEnvironmentFiles(gh, where, branch)) {
    const content = await readFile(gh, where, file.path, branch);
    if (content) parse(file.path, content.text, content.sha);
  }
  const verdicts = /* @__PURE__ */ new Map();
  const onDefaultBranch = async (ref) => {
    if (ref === branch || ref === `refs/heads/${branch}`) return true;
    if (!/^[0-9a-f]{40}$/.test(ref)) return false;
    if (!verdicts.has(ref)) {
      try {
        const { data } = await gh.rest.repos.compareCommitsWithBasehead({
          ...where,
          basehead: `${branch}...${ref}`,
          per_page: 1
        });
        verdicts.set(ref, data.status === "identical" || data.status === "behind");
      } catch {
        verdicts.set(ref, false);
      }
    }
    return verdicts.get(ref);
  };
  const timelines = /* @__PURE__ */ new Map();
  const deployments = await gh.paginate(gh.rest.repos.listDeployments, { ...where, per_page: 100 });
  for (const deployment of deployments) {
    const beta9 = beta9Payload({ ...deployment, payload: deployment.payload });
    if (!beta9 || beta9.environment !== deployment.environment) continue;
    if (!await onDefaultBranch(deployment.ref)) {
      log.info(
        { environment: beta9.environment, deployment: deployment.id },
        `Skipping deployment from ref ${deployment.ref}`
      );
      continue;
    }
    result.deployments++;
    const timeline = timelines.get(beta9.environment) ?? { events: [], lastApplySha: null };
    timelines.set(beta9.environment, timeline);
    const operation = beta9.operation;
    if (operation === "apply") timeline.lastApplySha = deployment.sha;
    timeline.events.push({
      event: {
        kind: "deployment",
        deploymentId: deployment.id,
        at: iso(deployment.created_at),
        operation,
        runId: null
      },
      runUrl: null,
      sha: deployment.sha
    });
    const statuses = await gh.paginate(gh.rest.repos.listDeploymentStatuses, {
      ...where,
      deployment_id: deployment.id,
      per_page: 100
    });
    for (const status of statuses) {
      const phase = parsePhase(status.state, status.description, operation);
      if (!phase) continue;
      timeline.events.push({
        event: {
          kind: "status",
          deploymentId: deployment.id,
          statusId: status.id,
          at: iso(status.created_at),
          operation,
          phase: phase.phase,
          reason: phase.reason,
          runId: null
        },
        runUrl: status.log_url ?? status.target_url ?? null,
        sha: deployment.sha
      });
    }
  }
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
      if (existing && existing.repo !== input.fullName && existing.status !== "destroyed") {
        result.skipped.push({ path: file.path, reason: `the name is already declared by ${existing.repo}` });
        continue;
      }
      if (existing) store.purgeEnvironment(name);
      store.putEnvironment(recordFromConfig({ repo: input.fullName, ...file, at }, void 0));
      store.putSync(name, { file_sha: file.sha, installation_id: input.installationId });
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
          report: last ? { repo: input.fullName, sha, installationId: input.installationId } : void 0
        });
      });
      result.environments.push({ name, status: store.getEnvironment(name).status });
    }
  });
  log.info(
    {
      repo: input.fullName,
      environments: result.environments,
      deployments: result.deployments,
      skipped: result.skipped
    },
    `Reindexed ${input.fullName}: ${result.environments.length} environment(s), ${result.deployments} deployment(s)`
  );
  return result;
}
function compare(a, b) {
  const key = (e) => e.kind === "deployment" ? [e.deploymentId, 0] : e.kind === "status" ? [e.deploymentId, e.statusId] : [Infinity, 0];
  const [ad, as] = key(a);
  const [bd, bs] = key(b);
  return ad !== bd ? ad - bd : as - bs;
}

// src/app/reindex.ts
async function runReindex(settings, options) {
  const github = settings.github;
  if (!github) {
    throw new SettingsError([
      `reindex reads from GitHub and needs a GitHub App: set ${GITHUB_VARIABLES.join(", ")}.`
    ]);
  }
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const store = new IndexStore(settings.databasePath, { staleAfterMs: settings.staleAfterMs, now });
  const probot = new Probot({
    appId: github.appId,
    privateKey: github.privateKey,
    secret: github.webhookSecret,
    baseUrl: github.baseUrl,
    log: options.logger.child({ component: "probot" }),
    Octokit: options.Octokit ?? ProbotOctokit
  });
  const deps = {
    store,
    engine: options.engine ?? createEngine(),
    log: options.logger,
    now,
    settings,
    auth: async (id) => await probot.auth(id ?? void 0)
  };
  try {
    const app = await probot.auth();
    const targets = [];
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
    const results = [];
    for (const target of targets) {
      const gh = await deps.auth(target.installationId);
      results.push(
        await reindexRepository(deps, gh, target, options.logger.child({ repo: target.fullName }))
      );
    }
    await new ReportService(deps).processDue();
    return results;
  } finally {
    store.close();
  }
}
export {
  runReindex
};

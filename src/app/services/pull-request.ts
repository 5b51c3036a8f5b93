/**
 * Pull request validation, the App's own work: read the changed environment files at the
 * head commit, validate them with the engine, refuse what must not merge, and publish the
 * `beta9 / validate` check run and the one sticky intent comment.
 */
import type { Diagnostic } from '../../engine/config/types.js';
import { diffEnvironment, type EnvironmentIntent, type EnvironmentVersion } from '../intent.js';
import {
  ENVIRONMENT_FILE,
  listPullFiles,
  publishCheckRun,
  readFile,
  upsertStickyComment,
  type GitHub,
  type RepoRef,
} from '../github.js';
import {
  CHECK_NAME,
  renderCheckOutput,
  renderIntentComment,
  toAnnotations,
  type PullRequestReport,
} from '../render.js';
import type { DeliveryContext, ServiceDeps } from './context.js';

export interface PullRequestInput {
  repo: RepoRef;
  fullName: string;
  number: number;
  headSha: string;
  /** The default branch: removals are judged by the file's last version there. */
  defaultBranch: string;
  /** `owner/repo` of the head when it is a fork, else null. */
  fork: string | null;
}

/** Where a top-level key's value sits (1-based), for problems the engine does not raise itself. */
export function findKey(text: string, key: string): { line: number; column: number; endColumn: number } {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const match = new RegExp(`^(${key})\\s*:\\s*(.*?)\\s*(#.*)?$`).exec(lines[i]!);
    if (match) {
      const value = match[2] ?? '';
      const column = value ? lines[i]!.indexOf(value, match[1]!.length) + 1 : 1;
      return { line: i + 1, column, endColumn: value ? column + value.length : lines[i]!.length + 1 };
    }
  }
  return { line: 1, column: 1, endColumn: 1 };
}

/** Runs tasks with at most `limit` in flight, keeping order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

export class PullRequestService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Validates the pull request and publishes the check run and the sticky comment. */
  async validate(gh: GitHub, pr: PullRequestInput, delivery: DeliveryContext): Promise<PullRequestReport> {
    const report = await this.evaluate(gh, pr, delivery);
    const output = renderCheckOutput(report);
    await publishCheckRun(gh, pr.repo, {
      name: CHECK_NAME,
      headSha: pr.headSha,
      conclusion: output.conclusion,
      title: output.title,
      summary: output.summary,
      annotations: toAnnotations(report.problems),
      completedAt: this.deps.now().toISOString(),
    });
    const relevant = report.intents.length > 0 || report.problems.length > 0;
    const comment = await upsertStickyComment(gh, pr.repo, pr.number, renderIntentComment(report), {
      createIfMissing: relevant,
    });
    delivery.log.info(
      {
        pull_request: pr.number,
        conclusion: output.conclusion,
        problems: report.problems.length,
        environments: report.intents.map((i) => `${i.name}:${i.action}`),
        comment: comment ? (comment.created ? 'created' : 'updated') : 'none',
      },
      `Validated ${pr.fullName}#${pr.number}: ${output.title}`,
    );
    return report;
  }

  /** Reads and judges every changed environment file; no writes to GitHub. */
  async evaluate(gh: GitHub, pr: PullRequestInput, delivery: DeliveryContext): Promise<PullRequestReport> {
    const files = await listPullFiles(gh, pr.repo, pr.number);
    const changed = new Set<string>();
    const removed = new Set<string>();
    for (const file of files) {
      if (
        file.previous_filename &&
        file.previous_filename !== file.filename &&
        ENVIRONMENT_FILE.test(file.previous_filename)
      ) {
        removed.add(file.previous_filename);
      }
      if (!ENVIRONMENT_FILE.test(file.filename)) continue;
      if (file.status === 'removed') removed.add(file.filename);
      else changed.add(file.filename);
    }
    for (const path of changed) removed.delete(path);
    const paths = [
      ...[...changed].map((p) => ({ path: p, kind: 'changed' as const })),
      ...[...removed].map((p) => ({ path: p, kind: 'removed' as const })),
    ];
    paths.sort((a, b) => a.path.localeCompare(b.path));

    const intents = await mapLimit(paths, 8, (entry) =>
      entry.kind === 'changed'
        ? this.judgeChanged(gh, pr, entry.path)
        : this.judgeRemoved(gh, pr, entry.path),
    );

    // Two files of one PR may not declare one name (`x.yaml` and `x.yml`).
    const byName = new Map<string, EnvironmentIntent[]>();
    for (const intent of intents)
      if (intent.action !== 'destroy') byName.set(intent.name, [...(byName.get(intent.name) ?? []), intent]);
    for (const [name, group] of byName) {
      if (group.length < 2) continue;
      for (const intent of group.slice(1)) {
        intent.problems.push({
          file: intent.path,
          line: 1,
          column: 1,
          message: `the name '${name}' is also declared by ${group[0]!.path} in this pull request; keep one file per environment`,
        });
        intent.action = 'invalid';
      }
    }

    const problems = intents.flatMap((i) => i.problems);
    delivery.log.debug({ files: files.length, environment_files: paths.length }, 'Pull request files read');
    return { intents, problems, fork: pr.fork ? { repo: pr.fork } : null, headSha: pr.headSha };
  }

  private version(path: string, text: string): { version?: EnvironmentVersion; diagnostics: Diagnostic[] } {
    const { config, diagnostics } = this.deps.engine.parse(path, text);
    if (!config || diagnostics.length > 0) return { diagnostics };
    const model = this.deps.engine.model(config);
    const monthlyCost = this.deps.engine.monthlyCost(model);
    return {
      version: { path, config, model, ...(monthlyCost !== undefined ? { monthlyCost } : {}) },
      diagnostics,
    };
  }

  private async judgeChanged(gh: GitHub, pr: PullRequestInput, path: string): Promise<EnvironmentIntent> {
    const stem = ENVIRONMENT_FILE.exec(path)![1]!;
    const [head, base] = await Promise.all([
      readFile(gh, pr.repo, path, pr.headSha),
      readFile(gh, pr.repo, path, pr.defaultBranch),
    ]);
    if (!head) {
      return {
        name: stem,
        path,
        action: 'invalid',
        changes: [],
        warnings: [],
        problems: [
          {
            file: path,
            line: 1,
            column: 1,
            message: `the file could not be read at ${pr.headSha.slice(0, 7)}`,
          },
        ],
      };
    }
    const after = this.version(path, head.text);
    if (!after.version) {
      return { name: stem, path, action: 'invalid', changes: [], warnings: [], problems: after.diagnostics };
    }
    const before = base ? this.version(path, base.text).version : undefined;
    const intent = diffEnvironment(before, after.version);

    const owner = this.deps.store.getEnvironment(intent.name);
    if (owner && owner.repo !== pr.fullName && owner.status !== 'destroyed') {
      const at = findKey(head.text, 'name');
      intent.problems.push({
        file: path,
        line: at.line,
        column: at.column,
        endColumn: at.endColumn,
        message: `the name '${intent.name}' is already declared by ${owner.repo} (${owner.path}); environment names are unique across repositories because they name the Terraform state. Choose another name and rename the file to match.`,
      });
      intent.action = 'invalid';
    }
    return intent;
  }

  private async judgeRemoved(gh: GitHub, pr: PullRequestInput, path: string): Promise<EnvironmentIntent> {
    const stem = ENVIRONMENT_FILE.exec(path)![1]!;
    const base = await readFile(gh, pr.repo, path, pr.defaultBranch);
    if (!base) {
      // Never on the default branch: removing it destroys nothing.
      return {
        name: stem,
        path,
        action: 'unchanged',
        changes: ['file removed before it reached the default branch'],
        warnings: [],
        problems: [],
      };
    }
    const parsed = this.version(path, base.text);
    const intent: EnvironmentIntent = parsed.version
      ? diffEnvironment(parsed.version, undefined)
      : { name: stem, path, action: 'destroy', changes: [], warnings: [], problems: [] };
    const protectedOff = parsed.version
      ? parsed.version.config.deletion_protection === false
      : /^deletion_protection\s*:\s*false\s*(#.*)?$/m.test(base.text);
    if (!protectedOff) {
      const at = findKey(base.text, 'deletion_protection');
      intent.problems.push({
        file: path,
        line: at.line,
        column: at.column,
        endColumn: at.endColumn,
        message: `removing this file destroys '${intent.name}', but deletion protection is on in its version on '${pr.defaultBranch}'. To destroy it, take two steps: (1) merge a pull request that sets 'deletion_protection: false' in ${path}; (2) then remove the file in a second pull request.`,
      });
    }
    return intent;
  }
}

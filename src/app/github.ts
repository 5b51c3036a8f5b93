/**
 * The few GitHub reads and writes the App makes, over an authenticated Octokit (an
 * installation token from Probot). Every list is paginated to the end.
 */
import type { ProbotOctokit } from 'probot';
import { COMMENT_MARKER, type Annotation } from './render.js';

export type GitHub = ProbotOctokit;

export interface RepoRef {
  owner: string;
  repo: string;
}

/** `environments/<name>.yaml` or `.yml`, directly under `environments/`. */
export const ENVIRONMENT_FILE = /^environments\/([^/]+)\.ya?ml$/;

/** Largest environment file the engine accepts (DESIGN.md); bigger files are not downloaded. */
const MAX_FILE_BYTES = 1024 * 1024;

export function splitRepo(fullName: string): RepoRef {
  const [owner, repo] = fullName.split('/');
  if (!owner || !repo) throw new Error(`'${fullName}' is not an owner/repo name`);
  return { owner, repo };
}

function status(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : undefined;
}

export interface FileContent {
  text: string;
  sha: string;
}

/** The text of a file at `ref`, or undefined when it does not exist there. */
export async function readFile(
  gh: GitHub,
  where: RepoRef,
  path: string,
  ref: string,
): Promise<FileContent | undefined> {
  try {
    const { data } = await gh.rest.repos.getContent({ ...where, path, ref });
    if (Array.isArray(data) || data.type !== 'file') throw new Error(`${path} at ${ref} is not a file`);
    if (data.size > MAX_FILE_BYTES) {
      // The engine rejects it with a clear message; no need to download a megabyte to say so.
      return { text: 'x'.repeat(MAX_FILE_BYTES + 1), sha: data.sha };
    }
    const text = Buffer.from(data.content ?? '', (data.encoding as BufferEncoding) || 'base64').toString(
      'utf8',
    );
    return { text, sha: data.sha };
  } catch (error) {
    if (status(error) === 404) return undefined;
    throw error;
  }
}

/** Environment files at `ref` with their blob shas (empty when `environments/` does not exist). */
export async function listEnvironmentFiles(
  gh: GitHub,
  where: RepoRef,
  ref: string,
): Promise<{ path: string; sha: string }[]> {
  try {
    const { data } = await gh.rest.repos.getContent({ ...where, path: 'environments', ref });
    if (!Array.isArray(data)) return [];
    return data
      .filter((entry) => entry.type === 'file' && ENVIRONMENT_FILE.test(entry.path))
      .map((entry) => ({ path: entry.path, sha: entry.sha }))
      .sort((a, b) => a.path.localeCompare(b.path));
  } catch (error) {
    if (status(error) === 404) return [];
    throw error;
  }
}

export interface ChangedFile {
  filename: string;
  status: string;
  previous_filename?: string;
}

export async function listPullFiles(gh: GitHub, where: RepoRef, pullNumber: number): Promise<ChangedFile[]> {
  const files = await gh.paginate(gh.rest.pulls.listFiles, {
    ...where,
    pull_number: pullNumber,
    per_page: 100,
  });
  return files.map((f) => ({
    filename: f.filename,
    status: f.status,
    previous_filename: f.previous_filename,
  }));
}

/** GitHub takes at most 50 annotations per request; the rest go in follow-up updates. */
export const ANNOTATIONS_PER_REQUEST = 50;

export async function publishCheckRun(
  gh: GitHub,
  where: RepoRef,
  run: {
    name: string;
    headSha: string;
    conclusion: 'success' | 'failure' | 'neutral';
    title: string;
    summary: string;
    annotations: Annotation[];
    completedAt: string;
  },
): Promise<number> {
  const batches: Annotation[][] = [];
  for (let i = 0; i < run.annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(run.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  const output = { title: run.title, summary: run.summary };
  const { data } = await gh.rest.checks.create({
    ...where,
    name: run.name,
    head_sha: run.headSha,
    status: 'completed',
    conclusion: run.conclusion,
    completed_at: run.completedAt,
    output: { ...output, annotations: batches[0] ?? [] },
  });
  for (const batch of batches.slice(1)) {
    await gh.rest.checks.update({
      ...where,
      check_run_id: data.id,
      output: { ...output, annotations: batch },
    });
  }
  return data.id;
}

/** Updates the App's one comment in place, or creates it; never a second one. */
export async function upsertStickyComment(
  gh: GitHub,
  where: RepoRef,
  issueNumber: number,
  body: string,
  options: { createIfMissing: boolean },
): Promise<{ id: number; created: boolean } | undefined> {
  const comments = await gh.paginate(gh.rest.issues.listComments, {
    ...where,
    issue_number: issueNumber,
    per_page: 100,
  });
  const existing = comments.find((c) => c.body?.includes(COMMENT_MARKER));
  if (existing) {
    if (existing.body !== body)
      await gh.rest.issues.updateComment({ ...where, comment_id: existing.id, body });
    return { id: existing.id, created: false };
  }
  if (!options.createIfMissing) return undefined;
  const { data } = await gh.rest.issues.createComment({ ...where, issue_number: issueNumber, body });
  return { id: data.id, created: true };
}

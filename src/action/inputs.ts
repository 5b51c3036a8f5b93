import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';

/**
 * Every input and every piece of the GitHub context the Action uses, read once (actions/checkout
 * `input-helper.ts` style). Nothing below `readInputs()` calls `core.getInput` or reads `process.env`.
 */
export const COMMANDS = ['validate', 'plan', 'apply', 'destroy', 'drift', 'bootstrap'] as const;
export type Command = (typeof COMMANDS)[number];

export interface PullRequestContext {
  number: number;
  baseSha: string;
  headSha: string;
  baseRef: string;
  /** `owner/repo` of the head branch; differs from the base repository for a fork. */
  headRepository: string;
  isFork: boolean;
}

export interface GitHubContext {
  apiUrl: string;
  serverUrl: string;
  owner: string;
  repo: string;
  eventName: string;
  sha: string;
  ref: string;
  defaultBranch: string;
  runId: string;
  runAttempt: string;
  runUrl: string;
  pullRequest?: PullRequestContext;
  /** For a push: the commit before and after it (`before` is all zeros for a new branch). */
  push?: { before: string; after: string };
}

export interface ActionInputs {
  command: Command;
  /** Explicit environment names, or `detect` to take them from the change between base and head. */
  environments: string[] | 'detect';
  /** Directory of the environment files, relative to the working directory. */
  environmentsDirectory: string;
  /** Absolute path of the repository checkout. */
  workingDirectory: string;
  terraformBinary: 'terraform' | 'tofu';
  githubToken: string;
  /** Passed to Terraform as `-lock-timeout`, e.g. `5m`. */
  lockTimeout: string;
  /** Upper bound for each Terraform command, in minutes. */
  timeoutMinutes: number;
  /** Glob patterns of shared configuration: a change to one plans every environment. */
  sharedPaths: string[];
  /** Whether `apply` installs Beta9 into the cluster after Terraform. */
  bootstrap: boolean;
  /** Ingress controller installed by bootstrap; unset means the engine's default. */
  ingressController?: string;
  /** Lets `apply` destroy or replace stateful resources that no reviewed plan showed. */
  allowStatefulDestroy: boolean;
  /** Where plan files, plan JSON and run reports are written (uploaded by actions/upload-artifact). */
  reportDirectory: string;
  /** Scratch space for synthesised stacks. */
  workDirectory: string;
  aws: {
    /** Role assumed with the runner's OIDC token, from which the file's role_arn is assumed. */
    baseRoleArn?: string;
    audience: string;
    /** Test-only override of every AWS endpoint (BETA9_AWS_ENDPOINT_URL). */
    endpointUrl?: string;
  };
  gcp: {
    /** `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`. */
    workloadIdentityProvider?: string;
    audience?: string;
    /** Test-only overrides (BETA9_GCP_STS_URL, BETA9_GCP_IAM_CREDENTIALS_URL, BETA9_GCP_STORAGE_URL). */
    stsUrl?: string;
    iamCredentialsUrl?: string;
    storageUrl?: string;
  };
  /** Whether the runner can mint an OIDC token (id-token: write). */
  oidcAvailable: boolean;
  github: GitHubContext;
}

export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Action inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InputError';
  }
}

type Env = Record<string, string | undefined>;

/** Same lookup as `core.getInput`: `INPUT_<NAME>` with spaces as underscores, upper-cased, trimmed. */
function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function list(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('#'));
}

function bool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = input(env, name).toLowerCase();
  if (raw === '') return fallback;
  if (['true', 'yes', '1'].includes(raw)) return true;
  if (['false', 'no', '0'].includes(raw)) return false;
  problems.push(`Input '${name}' is '${raw}'. Expected true or false.`);
  return fallback;
}

/** Picks the command from the event when `command` is `auto`. */
function commandFor(eventName: string): Command {
  switch (eventName) {
    case 'pull_request':
    case 'merge_group':
      return 'plan';
    case 'push':
      return 'apply';
    case 'schedule':
      return 'drift';
    default:
      return 'validate';
  }
}

interface EventPayload {
  pull_request?: {
    number: number;
    base: { sha: string; ref: string; repo?: { full_name?: string } };
    head: { sha: string; repo?: { full_name?: string } | null };
  };
  before?: string;
  after?: string;
  repository?: { default_branch?: string; full_name?: string };
}

export function readGitHubContext(
  env: Env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): GitHubContext {
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  let payload: EventPayload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFile(env.GITHUB_EVENT_PATH)) as EventPayload;
    } catch (err) {
      throw new InputError([
        `Cannot read the event payload at GITHUB_EVENT_PATH=${env.GITHUB_EVENT_PATH}: ${(err as Error).message}`,
      ]);
    }
  }
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '');
  const runId = env.GITHUB_RUN_ID ?? '0';
  const pr = payload.pull_request;
  const baseRepository = pr?.base.repo?.full_name ?? payload.repository?.full_name ?? `${owner}/${repo}`;
  const headRepository = pr?.head.repo?.full_name ?? '';
  return {
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
    serverUrl,
    owner,
    repo,
    eventName: env.GITHUB_EVENT_NAME ?? '',
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    defaultBranch: payload.repository?.default_branch ?? 'main',
    runId,
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}`,
    pullRequest: pr
      ? {
          number: pr.number,
          baseSha: pr.base.sha,
          headSha: pr.head.sha,
          baseRef: pr.base.ref,
          headRepository,
          // A deleted fork has no head repo; treat it as untrusted too.
          isFork: headRepository.toLowerCase() !== baseRepository.toLowerCase(),
        }
      : undefined,
    push: payload.after ? { before: payload.before ?? '', after: payload.after } : undefined,
  };
}

const DEFAULT_SHARED_PATHS = [
  '.github/workflows/beta9*.yml',
  'action.yml',
  'dist/action/**',
  'src/engine/**',
  'schema/**',
];

export function readInputs(env: Env = process.env, readFile?: (path: string) => string): ActionInputs {
  const problems: string[] = [];
  const github = readGitHubContext(env, readFile);

  const rawCommand = input(env, 'command') || 'auto';
  let command: Command;
  if (rawCommand === 'auto') command = commandFor(github.eventName);
  else if ((COMMANDS as readonly string[]).includes(rawCommand)) command = rawCommand as Command;
  else {
    problems.push(`Input 'command' is '${rawCommand}'. Expected one of: auto, ${COMMANDS.join(', ')}.`);
    command = 'validate';
  }

  const rawEnvironments = input(env, 'environments');
  const environments =
    rawEnvironments === '' || rawEnvironments === 'detect' ? 'detect' : list(rawEnvironments);
  if (environments !== 'detect') {
    for (const name of environments) {
      if (!/^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/.test(name)) {
        problems.push(
          `Input 'environments' names '${name}', which is not an environment name (lower-case letters, digits and dashes).`,
        );
      }
    }
  }

  const rawBinary = input(env, 'terraform-binary') || 'terraform';
  if (rawBinary !== 'terraform' && rawBinary !== 'tofu') {
    problems.push(`Input 'terraform-binary' is '${rawBinary}'. Expected terraform or tofu.`);
  }

  const rawTimeout = input(env, 'timeout-minutes') || '60';
  const timeoutMinutes = Number(rawTimeout);
  if (!Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0) {
    problems.push(`Input 'timeout-minutes' is '${rawTimeout}'. Expected a positive number of minutes.`);
  }

  const lockTimeout = input(env, 'lock-timeout') || '5m';
  if (!/^\d+(s|m|h)$/.test(lockTimeout)) {
    problems.push(`Input 'lock-timeout' is '${lockTimeout}'. Expected a duration such as 30s, 5m or 1h.`);
  }

  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const rawWorkingDirectory = input(env, 'working-directory') || '.';
  const workingDirectory = isAbsolute(rawWorkingDirectory)
    ? rawWorkingDirectory
    : resolve(workspace, rawWorkingDirectory);
  const runnerTemp = env.RUNNER_TEMP || tmpdir();
  const rawReportDirectory = input(env, 'report-directory');
  const reportDirectory = rawReportDirectory
    ? resolve(workingDirectory, rawReportDirectory)
    : join(runnerTemp, 'beta9-provisioner', 'report');

  const baseRoleArn = input(env, 'aws-role-arn') || undefined;
  if (baseRoleArn && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(baseRoleArn)) {
    problems.push(
      `Input 'aws-role-arn' is '${baseRoleArn}'. Expected arn:aws:iam::<12-digit account>:role/<name>.`,
    );
  }
  const workloadIdentityProvider = input(env, 'gcp-workload-identity-provider') || undefined;
  if (
    workloadIdentityProvider &&
    !/^projects\/\d+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/.test(
      workloadIdentityProvider,
    )
  ) {
    problems.push(
      `Input 'gcp-workload-identity-provider' is '${workloadIdentityProvider}'. Expected projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>.`,
    );
  }

  const githubToken = input(env, 'github-token');
  if (!githubToken)
    problems.push(
      `Input 'github-token' is empty. Pass \${{ github.token }} (the default) or a token with the permissions in docs/action.md.`,
    );

  const bootstrap = bool(env, 'bootstrap', true, problems);
  const allowStatefulDestroy = bool(env, 'allow-stateful-destroy', false, problems);
  if (problems.length > 0) throw new InputError(problems);

  return {
    command,
    environments,
    environmentsDirectory: input(env, 'environments-directory') || 'environments',
    workingDirectory,
    terraformBinary: rawBinary as 'terraform' | 'tofu',
    githubToken,
    lockTimeout,
    timeoutMinutes,
    sharedPaths: input(env, 'shared-paths') ? list(input(env, 'shared-paths')) : DEFAULT_SHARED_PATHS,
    bootstrap,
    ingressController: input(env, 'ingress-controller') || undefined,
    allowStatefulDestroy,
    reportDirectory,
    workDirectory: join(runnerTemp, 'beta9-provisioner', 'work'),
    aws: {
      baseRoleArn,
      audience: input(env, 'aws-audience') || 'sts.amazonaws.com',
      endpointUrl: env.BETA9_AWS_ENDPOINT_URL || undefined,
    },
    gcp: {
      workloadIdentityProvider,
      audience: workloadIdentityProvider ? `//iam.googleapis.com/${workloadIdentityProvider}` : undefined,
      stsUrl: env.BETA9_GCP_STS_URL || undefined,
      iamCredentialsUrl: env.BETA9_GCP_IAM_CREDENTIALS_URL || undefined,
      storageUrl: env.BETA9_GCP_STORAGE_URL || undefined,
    },
    oidcAvailable: Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN),
    github,
  };
}

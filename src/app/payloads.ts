/**
 * The shape the handlers rely on, per event. A correctly signed delivery can still carry a
 * body the App cannot use (a truncated or hand-made payload); it gets a 400 naming the first
 * missing field instead of a handler crash, and the index is left alone.
 */
type Kind = 'string' | 'number' | 'object' | 'array';
/** `path: kind`, with a trailing `?` on the kind for optional (null or absent is fine). */
type Rule = [path: string, kind: `${Kind}` | `${Kind}?` | 'time' | 'time?'];

const REPOSITORY: Rule[] = [
  ['repository', 'object'],
  ['repository.full_name', 'string'],
  ['repository.default_branch', 'string'],
];

const DEPLOYMENT: Rule[] = [
  ['deployment', 'object'],
  ['deployment.id', 'number'],
  ['deployment.sha', 'string'],
  ['deployment.environment', 'string'],
  ['deployment.created_at', 'time'],
  ['workflow_run', 'object?'],
  ['workflow_run.id', 'number?'],
];

const RULES: Record<string, Rule[]> = {
  pull_request: [
    ['action', 'string'],
    ['pull_request', 'object'],
    ['pull_request.number', 'number'],
    ['pull_request.state', 'string'],
    ['pull_request.head', 'object'],
    ['pull_request.head.sha', 'string'],
    ['pull_request.base', 'object'],
    ['pull_request.base.repo', 'object'],
    ['pull_request.base.repo.full_name', 'string'],
    ...REPOSITORY,
  ],
  push: [
    ['ref', 'string'],
    ['before', 'string'],
    ['after', 'string'],
    ['commits', 'array?'],
    ...REPOSITORY,
    // Orders the push against deployments (seconds, or an ISO time); without it the head commit's time.
    ['repository.pushed_at', 'time?'],
    ['head_commit', 'object?'],
    ['head_commit.timestamp', 'time?'],
  ],
  installation: [
    ['action', 'string'],
    ['installation', 'object'],
    ['installation.id', 'number'],
    ['repositories', 'array?'],
  ],
  installation_repositories: [
    ['action', 'string'],
    ['installation', 'object'],
    ['installation.id', 'number'],
    ['repositories_added', 'array'],
  ],
  deployment: [['action', 'string'], ...DEPLOYMENT, ...REPOSITORY],
  deployment_status: [
    ['action', 'string'],
    ['deployment_status', 'object'],
    ['deployment_status.id', 'number'],
    ['deployment_status.state', 'string'],
    ['deployment_status.created_at', 'time'],
    ...DEPLOYMENT,
    ...REPOSITORY,
  ],
  workflow_run: [
    ['action', 'string'],
    ['workflow_run', 'object'],
    ['workflow_run.id', 'number'],
    ...REPOSITORY,
  ],
  check_run: [['action', 'string'], ['check_run', 'object'], ['check_run.name', 'string'], ...REPOSITORY],
};

function kindOf(value: unknown): Kind | 'null' | 'other' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'object' ? t : 'other';
}

/** Why `payload` cannot be handled as `event`, or undefined when it can (or the App ignores the event). */
export function payloadProblem(event: string, payload: unknown): string | undefined {
  if (kindOf(payload) !== 'object') return `the ${event} payload is not a JSON object`;
  const rules = RULES[event];
  if (!rules) return undefined;
  for (const [path, want] of rules) {
    const optional = want.endsWith('?');
    const isTime = want === 'time' || want === 'time?';
    const kinds: Kind[] = isTime ? ['number', 'string'] : [want.replace('?', '') as Kind];
    const kind = kinds.join(' or ');
    let value: unknown = payload;
    let parentMissing = false;
    for (const key of path.split('.')) {
      if (kindOf(value) !== 'object') {
        parentMissing = true;
        break;
      }
      value = (value as Record<string, unknown>)[key];
    }
    const got = parentMissing ? 'null' : kindOf(value);
    if (got === 'null' && optional) continue;
    const unreadable = isTime && got === 'string' && Number.isNaN(Date.parse(value as string));
    if (!kinds.includes(got as Kind) || unreadable) {
      return `the ${event} payload has no valid '${path}' (expected ${kind === 'object' ? 'an object' : `a ${kind}`}${got === 'null' ? '' : `, got ${got}`})`;
    }
  }
  if (event === 'push') {
    const p = payload as {
      repository?: { pushed_at?: unknown };
      head_commit?: { timestamp?: unknown } | null;
    };
    if ((p.repository?.pushed_at ?? null) === null && (p.head_commit?.timestamp ?? null) === null) {
      return 'the push payload has neither repository.pushed_at nor head_commit.timestamp, so it cannot be ordered against deployments';
    }
  }
  return undefined;
}

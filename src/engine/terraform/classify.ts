import { redactText } from '../plan/redact.js';
import type {
  FailureClass,
  LockInfo,
  TerraformDiagnostic,
  TerraformFailure,
  TerraformOperation,
} from './types.js';

/**
 * Patterns for each failure class, checked in this order. Quota comes before credentials
 * because GCP reports quotas as HTTP 403; throttling (RequestLimitExceeded) is a network-class
 * retry, not a quota.
 */
const PATTERNS: Array<[Exclude<FailureClass, 'timeout' | 'cancelled' | 'lock_held' | 'unknown'>, RegExp[]]> =
  [
    [
      'network',
      [
        /RequestLimitExceeded/,
        /Throttl(ing|ed)/i,
        /Rate exceeded/i,
        /TooManyRequests|StatusCode: 429|Error 429/,
      ],
    ],
    [
      'quota',
      [
        /\w*LimitExceeded\b/,
        /\w*QuotaExceeded\b/i,
        /Quota '[^']+' exceeded/i,
        /quota (was |has been )?exceeded/i,
        /exceeded (the )?quota/i,
        /QUOTA_EXCEEDED|RESOURCE_EXHAUSTED/,
        /InsufficientInstanceCapacity|InsufficientFreeAddressesInSubnet/,
        /maximum number of [\w\s-]+ (has been|was) reached/i,
        /ZONE_RESOURCE_POOL_EXHAUSTED|GCE_STOCKOUT/,
      ],
    ],
    [
      'credentials',
      [
        /AccessDenied(Exception)?/,
        /UnauthorizedOperation|UnrecognizedClientException|AuthFailure/,
        /ExpiredToken(Exception)?|token (included in the request )?is expired/i,
        /InvalidClientTokenId|SignatureDoesNotMatch|InvalidAccessKeyId/,
        /No valid credential sources found/i,
        /failed to refresh cached credentials/i,
        /NoCredentialProviders|no EC2 IMDS role found/i,
        /could not find default credentials/i,
        /application default credentials/i,
        /is not authorized to perform/i,
        /StatusCode: 40[13]\b|Error 40[13]\b|\b403 Forbidden\b|\b401 Unauthorized\b/,
        /permission denied|PERMISSION_DENIED|does not have [\w.]+ permission|IAM_PERMISSION_DENIED/i,
        /invalid_grant|Not authorized to impersonate|iam\.serviceAccounts\.getAccessToken/i,
        /Error assuming role|AssumeRoleWithWebIdentity|sts:AssumeRole/i,
      ],
    ],
    [
      'network',
      [
        /Failed to query available provider packages/i,
        /Failed to install provider/i,
        /could not connect to [\w.-]+/i,
        /i\/o timeout|TLS handshake timeout|Client\.Timeout exceeded|context deadline exceeded/i,
        /connection (reset|refused)|broken pipe|EOF$|unexpected EOF/im,
        /no such host|temporary failure in name resolution|network is unreachable/i,
        /StatusCode: 5\d\d|Error 5\d\d|\b50[234] (Bad Gateway|Service Unavailable|Gateway Timeout)\b/,
        /ServiceUnavailable(Exception)?|InternalError|InternalFailure|backendError/,
        /request canceled|timeout while waiting for state/i,
      ],
    ],
    [
      'config',
      [
        /Unsupported (argument|block type|attribute)/,
        /Missing required (argument|attribute)/,
        /Invalid (value|reference|expression|function|attribute|index|resource|template|JSON|character|backend configuration)/i,
        /Reference to undeclared/,
        /Incorrect attribute value type/,
        /No configuration files/,
        /Backend initialization required|Backend configuration changed/,
        /Module not installed|Required plugins are not installed|Inconsistent dependency lock file/,
        /Duplicate (resource|output|variable|provider)/,
        /Syntax error|Argument or block definition required/,
        /Instance cannot be destroyed/,
        /Cycle:/,
        /InvalidParameter(Value|Combination)?|ValidationException|InvalidRequest|Error 400/,
        /Saved plan is stale/,
        /Failed to load plan file|Failed to read the given file/,
        /flag provided but not defined/,
      ],
    ],
  ];

const NEXT_STEP: Record<FailureClass, string> = {
  lock_held:
    'Another run holds the state lock. Wait for it to finish (see the running workflows of this environment). ' +
    'If no run is using it any more, release it with the stale-lock recovery (locks older than 1 hour) or `terraform force-unlock <ID>`.',
  credentials:
    'Check the cloud credentials: the role in `cloud.role_arn` must trust the GitHub OIDC provider of this repository and allow these actions ' +
    '(GCP: the runner must be allowed to impersonate `cloud.service_account`). Then re-run.',
  quota:
    'Raise the quota in the cloud console (AWS Service Quotas; GCP IAM & Admin > Quotas) or lower the sizes or `cluster.gpu.max_nodes` ' +
    'in the environment file, then re-run.',
  network:
    'A temporary provider or network error; re-run the job. If it keeps failing, check the provider status page.',
  config:
    'Fix the configuration error above. If it points at the environment file, run `beta9-provisioner validate`; if it points at the ' +
    'synthesised stack, report it with this message.',
  timeout:
    'The operation ran longer than its time limit and was stopped. Check the cloud console for resources still being created, ' +
    'release the state lock if it was left behind, raise the timeout if the operation is known to take longer, and re-run.',
  cancelled:
    'The run was cancelled while Terraform was working. Check for a state lock left behind and for half-created resources, then re-run.',
  unknown: 'Unexpected Terraform failure: read the log of this run, then re-run or report it with the log.',
};

/** Parses the `Lock Info:` block Terraform prints when it cannot acquire the state lock. */
export function parseLockInfo(text: string): LockInfo | undefined {
  const start = text.search(/Lock Info:/);
  if (start < 0) return undefined;
  const fields: Record<string, string> = {};
  for (const raw of text.slice(start).split('\n').slice(1)) {
    const line = raw.replace(/^[│|]\s?/, '');
    const m = /^\s+(ID|Path|Operation|Who|Version|Created|Info):\s*(.*)$/.exec(line);
    if (!m) {
      if (Object.keys(fields).length > 0 && line.trim() === '') break;
      continue;
    }
    fields[m[1] as string] = (m[2] ?? '').trim();
  }
  if (!fields.ID) return undefined;
  const lock: LockInfo = { id: fields.ID };
  if (fields.Path) lock.path = fields.Path;
  if (fields.Operation) lock.operation = fields.Operation;
  if (fields.Who) lock.who = fields.Who;
  if (fields.Version) lock.version = fields.Version;
  if (fields.Info) lock.info = fields.Info;
  if (fields.Created) {
    lock.created = fields.Created;
    const at = parseGoTime(fields.Created);
    if (at) lock.createdAt = at.toISOString();
  }
  return lock;
}

/** Reads Go's default time format (`2006-01-02 15:04:05.999999999 -0700 MST`) or ISO 8601. */
export function parseGoTime(s: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?/.exec(s.trim());
  if (!m) return undefined;
  const frac = m[3] ? m[3].slice(0, 4).padEnd(4, '0') : '';
  let zone = m[4] ?? 'Z';
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const d = new Date(`${m[1]}T${m[2]}${frac}${zone}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export interface ClassifyInput {
  operation: TerraformOperation;
  exitCode: number | null;
  timedOut?: boolean;
  cancelled?: boolean;
  timeoutMs?: number;
  diagnostics: TerraformDiagnostic[];
  /** Everything the process printed that was not a machine-readable line. */
  text: string;
  spawnError?: { code?: string; message: string };
  binary?: string;
}

/** Turns a failed Terraform run into a failure value with a message and a next step. */
export function classifyFailure(input: ClassifyInput): TerraformFailure {
  const errors = input.diagnostics.filter((d) => d.severity === 'error');
  const haystack = [...errors.map((d) => `${d.summary}\n${d.detail}`), stripBox(input.text)].join('\n');
  const base = {
    operation: input.operation,
    exitCode: input.exitCode,
    diagnostics: redactDiagnostics(input.diagnostics),
  };

  if (input.spawnError) {
    const missing = input.spawnError.code === 'ENOENT';
    return {
      ...base,
      class: 'config',
      retryable: false,
      message: missing
        ? `\`${input.binary ?? 'terraform'}\` was not found on PATH.`
        : `\`${input.binary ?? 'terraform'}\` could not be started: ${input.spawnError.message}`,
      nextStep: missing
        ? 'Install Terraform (>= 1.11) or OpenTofu (>= 1.8) on the runner (e.g. hashicorp/setup-terraform or opentofu/setup-opentofu), or choose the binary that is installed.'
        : NEXT_STEP.unknown,
    };
  }
  if (input.cancelled) {
    return {
      ...base,
      class: 'cancelled',
      retryable: false,
      message: `terraform ${input.operation} was cancelled and stopped.`,
      nextStep: NEXT_STEP.cancelled,
    };
  }
  if (input.timedOut) {
    const limit = input.timeoutMs !== undefined ? ` (${formatMs(input.timeoutMs)})` : '';
    return {
      ...base,
      class: 'timeout',
      retryable: false,
      message: `terraform ${input.operation} did not finish within its time limit${limit} and was stopped.`,
      nextStep: NEXT_STEP.timeout,
    };
  }

  const lock = /Error acquiring the state lock|Error locking state|state lock/i.test(haystack)
    ? parseLockInfo(haystack)
    : undefined;
  if (lock || /Error acquiring the state lock/.test(haystack)) {
    const who = lock
      ? ` Held by ${lock.who ?? 'an unknown holder'}${lock.operation ? ` for ${lock.operation.replace(/^OperationType/, '').toLowerCase()}` : ''}` +
        `${lock.created ? ` since ${lock.createdAt ?? lock.created}` : ''} (lock ID ${lock.id}).`
      : '';
    return {
      ...base,
      class: 'lock_held',
      retryable: false,
      message: `The state is locked by another operation.${who}`,
      nextStep: lock ? NEXT_STEP.lock_held.replace('<ID>', lock.id) : NEXT_STEP.lock_held,
      ...(lock ? { lock } : {}),
    };
  }

  const message = summarize(errors, input.text);
  for (const [cls, patterns] of PATTERNS) {
    if (patterns.some((re) => re.test(haystack))) {
      return { ...base, class: cls, retryable: cls === 'network', message, nextStep: NEXT_STEP[cls] };
    }
  }
  return { ...base, class: 'unknown', retryable: false, message, nextStep: NEXT_STEP.unknown };
}

function summarize(errors: TerraformDiagnostic[], text: string): string {
  if (errors.length > 0) {
    const parts = errors.slice(0, 3).map((d) => {
      const detail = d.detail.trim();
      return `${d.summary}${d.address ? ` (${d.address})` : ''}${detail ? `: ${detail}` : ''}`;
    });
    const more = errors.length > 3 ? ` (and ${errors.length - 3} more errors)` : '';
    return clip(redactText(parts.join('\n\n') + more), 2000);
  }
  const lines = stripBox(text)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  const errorAt = lines.findIndex((l) => /^\s*Error:/.test(l));
  const tail = errorAt >= 0 ? lines.slice(errorAt, errorAt + 12) : lines.slice(-12);
  return clip(redactText(tail.join('\n')), 2000) || 'Terraform failed without printing an error.';
}

function redactDiagnostics(ds: TerraformDiagnostic[]): TerraformDiagnostic[] {
  return ds.map((d) => ({ ...d, summary: redactText(d.summary), detail: redactText(d.detail) }));
}

/** Removes the box drawing (`╷ │ ╵`) Terraform puts around diagnostics. */
export function stripBox(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^[╷╵]\s*$/.test(l))
    .map((l) => l.replace(/^│ ?/, ''))
    .join('\n');
}

/**
 * Reads diagnostics from Terraform's human output (`Error: …` blocks), for commands that have
 * no `-json` UI (show, output, force-unlock) or when it was not used.
 */
export function diagnosticsFromText(text: string): TerraformDiagnostic[] {
  const out: TerraformDiagnostic[] = [];
  const lines = stripBox(text).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(Error|Warning): (.*)$/.exec(lines[i] ?? '');
    if (!m) continue;
    const detail: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*(Error|Warning): /.test(lines[j] ?? '')) detail.push(lines[j++] ?? '');
    out.push({
      severity: m[1] === 'Error' ? 'error' : 'warning',
      summary: (m[2] ?? '').trim(),
      detail: detail.join('\n').trim(),
    });
    i = j - 1;
  }
  return out;
}

function formatMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

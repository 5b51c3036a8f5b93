/**
 * Redaction of values the provider does not mark sensitive. Terraform only knows what a
 * provider schema or an output declares sensitive; passwords in variables, keys pasted
 * into user_data and tokens in environment maps are plain values in the plan JSON.
 * These patterns catch them before anything is rendered.
 */

export const SENSITIVE = '(sensitive)';

export interface RedactionPatterns {
  /** Matched against each attribute or output name on the path (`environment[0].variables.secret_key`). */
  names: RegExp[];
  /** Matched against string values; a match hides the whole value. */
  values: RegExp[];
}

export const DEFAULT_NAME_PATTERNS: readonly RegExp[] = [
  /passw(or)?d/i,
  /^pass$/i,
  /passphrase/i,
  /secret/i,
  // `auth_token`, `session_token`; not `http_tokens` (an IMDS setting reviewers must see).
  /(^|[_-])token$/i,
  /^token[_-]?(value|secret)$/i,
  /private_?key/i,
  /access_?key/i,
  /api_?key/i,
  /client_?key/i,
  /credential/i,
  /auth_string/i,
  /user_data/i,
  /connection_string/i,
  /kubeconfig/i,
  /certificate_?key/i,
  /ssh_?key/i,
];

export const DEFAULT_VALUE_PATTERNS: readonly RegExp[] = [
  // AWS access key ids (long-term and temporary).
  /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b/,
  // PEM private keys of any kind.
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/,
  // GitHub tokens.
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/,
  /\bgithub_pat_[A-Za-z0-9_]{22,}\b/,
  // Slack tokens.
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
  // Google API keys and OAuth access tokens.
  /\bAIza[0-9A-Za-z_-]{35}\b/,
  /\bya29\.[0-9A-Za-z_-]{20,}/,
  // Credentials inside URLs: scheme://user:password@host.
  /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i,
  // `password=...`, `secret: ...`, `AWS_SECRET_ACCESS_KEY=...` inside scripts and connection strings.
  // A colon only counts when the value follows directly (JSON), so prose such as
  // "ExpiredToken: The security token…" in an error message stays readable.
  /(passw(or)?d|secret|token|api_?key|access_?key)[A-Za-z_]*["']?(\s*=\s*|:)["']?[^\s"'$]{4,}/i,
  // A JWT.
  /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/,
];

export function defaultPatterns(): RedactionPatterns {
  return { names: [...DEFAULT_NAME_PATTERNS], values: [...DEFAULT_VALUE_PATTERNS] };
}

/**
 * Builds patterns from the defaults plus extra ones (strings are compiled case-insensitively).
 * `replaceDefaults` drops the defaults, for callers that want full control.
 */
export function buildPatterns(extra?: {
  names?: Array<string | RegExp>;
  values?: Array<string | RegExp>;
  replaceDefaults?: boolean;
}): RedactionPatterns {
  const base = extra?.replaceDefaults ? { names: [], values: [] } : defaultPatterns();
  const compile = (p: string | RegExp) => (typeof p === 'string' ? new RegExp(p, 'i') : p);
  return {
    names: [...base.names, ...(extra?.names ?? []).map(compile)],
    values: [...base.values, ...(extra?.values ?? []).map(compile)],
  };
}

export function nameIsSensitive(name: string, patterns: RedactionPatterns): boolean {
  return patterns.names.some((re) => re.test(name));
}

export function valueIsSensitive(value: string, patterns: RedactionPatterns): boolean {
  return patterns.values.some((re) => re.test(value));
}

/**
 * Replaces every secret-looking token inside free text (log lines, error messages) while
 * keeping the rest readable. Unlike `valueIsSensitive`, this hides only the matching part.
 */
export function redactText(text: string, patterns: RedactionPatterns = defaultPatterns()): string {
  let out = text;
  for (const re of patterns.values) {
    const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    out = out.replace(global, SENSITIVE);
  }
  return out;
}

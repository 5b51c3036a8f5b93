import { readFileSync } from 'node:fs';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** Credentials of the GitHub App; absent in the embedded mode. */
export interface GitHubAppSettings {
  appId: string;
  privateKey: string;
  webhookSecret: string;
  /** REST API root: `https://api.github.com`, or `<protocol>://<GHE_HOST>/api/v3`. */
  baseUrl: string;
}

export interface ReportRetrySettings {
  /** Attempts before a report fetch is given up (the status stays right either way). */
  maxAttempts: number;
  /** Delay after the first failure; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How often the retry queue is polled. */
  intervalMs: number;
}

/** Everything the server reads from its environment, read once by `readSettings`. */
export interface Settings {
  /** Null when no GitHub App is configured: the server then serves the local `environmentsDir`. */
  github: GitHubAppSettings | null;
  logLevel: LogLevel;
  port: number;
  host: string | undefined;
  databasePath: string;
  staleAfterMs: number;
  /** Bearer tokens for `/api/v1`; empty means the API is open. */
  apiTokens: string[];
  environmentsDir: string;
  reportRetry: ReportRetrySettings;
  /** Workflow file names (`apply.yml`) or workflow names (`beta9 apply`) whose deployment statuses are trusted. */
  trustedWorkflows: string[];
  /** Largest webhook body accepted, in bytes. */
  webhookBodyLimit: number;
}

/** A configuration problem; the message names every bad variable and how to fix it. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid server configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `1h`, `2d`, `500ms`, or a bare number of seconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 's']!);
}

/** Accepts a PEM as is, with `\n` escapes (one-line env files), or base64-encoded, as Probot does. */
export function normalizePrivateKey(raw: string): string | undefined {
  const text = raw.trim().replace(/\\n/g, '\n');
  if (text.includes('-----BEGIN')) return text;
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  return decoded.includes('-----BEGIN') ? decoded.trim() : undefined;
}

type Env = Record<string, string | undefined>;

/**
 * Reads the server configuration once (Probot's variable names plus our own).
 * Collects every problem before throwing, so one start shows all of them.
 */
export function readSettings(
  env: Env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Settings {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}='${raw}' is not a whole number from ${min} to ${max}.`);
      return fallback;
    }
    return n;
  };
  const duration = (name: string, fallback: string): number => {
    const raw = value(name) ?? fallback;
    const ms = parseDuration(raw);
    if (ms === undefined || ms <= 0) {
      problems.push(`${name}='${raw}' is not a duration. Use a number with a unit, e.g. 90s, 15m, 1h.`);
      return parseDuration(fallback)!;
    }
    return ms;
  };

  const rawLevel = (value('LOG_LEVEL') ?? 'info').toLowerCase();
  const logLevel = LOG_LEVELS.includes(rawLevel as LogLevel) ? (rawLevel as LogLevel) : 'info';
  if (logLevel !== rawLevel) problems.push(`LOG_LEVEL='${rawLevel}' is not one of ${LOG_LEVELS.join(', ')}.`);

  const github = readGitHub(value, readFile, problems);

  const settings: Settings = {
    github,
    logLevel,
    port: integer('PORT', 3000, 0, 65535),
    host: value('HOST'),
    databasePath: value('DATABASE_PATH') ?? './data/beta9.db',
    staleAfterMs: duration('STALE_AFTER', '1h'),
    apiTokens: (value('API_TOKENS') ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    environmentsDir: value('ENVIRONMENTS_DIR') ?? './environments',
    reportRetry: {
      maxAttempts: integer('REPORT_RETRY_MAX_ATTEMPTS', 10, 1, 1000),
      baseDelayMs: duration('REPORT_RETRY_DELAY', '30s'),
      maxDelayMs: duration('REPORT_RETRY_MAX_DELAY', '1h'),
      intervalMs: duration('REPORT_RETRY_INTERVAL', '15s'),
    },
    // This repository's apply workflow is `apply.yml`, named `apply`; callers of the reusable workflow add their own.
    trustedWorkflows: (value('TRUSTED_WORKFLOWS') ?? 'apply.yml,apply,beta9 apply')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    webhookBodyLimit: integer('WEBHOOK_BODY_LIMIT', 25 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  };
  if (problems.length > 0) throw new SettingsError(problems);
  return settings;
}

function readGitHub(
  value: (name: string) => string | undefined,
  readFile: (path: string) => string,
  problems: string[],
): GitHubAppSettings | null {
  const appId = value('APP_ID');
  const keyPath = value('PRIVATE_KEY_PATH');
  let rawKey = value('PRIVATE_KEY');
  if (!appId && !rawKey && !keyPath) return null;

  if (!rawKey && keyPath) {
    try {
      rawKey = readFile(keyPath);
    } catch (error) {
      problems.push(`PRIVATE_KEY_PATH='${keyPath}' cannot be read (${(error as Error).message}).`);
    }
  }
  if (!appId) problems.push('APP_ID is missing: copy the App ID from your GitHub App settings page.');
  else if (!/^\d+$/.test(appId))
    problems.push(`APP_ID='${appId}' is not a number: copy the App ID from your GitHub App settings page.`);
  let privateKey: string | undefined;
  if (!rawKey) {
    if (!keyPath)
      problems.push(
        'PRIVATE_KEY or PRIVATE_KEY_PATH is missing: generate a private key (.pem) on the GitHub App settings page.',
      );
  } else {
    privateKey = normalizePrivateKey(rawKey);
    // Never echo the key itself.
    if (!privateKey) problems.push('PRIVATE_KEY is not a PEM private key (nor base64 of one).');
  }
  const webhookSecret = value('WEBHOOK_SECRET');
  if (!webhookSecret)
    problems.push('WEBHOOK_SECRET is missing: set it to the webhook secret of your GitHub App.');

  const host = value('GHE_HOST');
  const protocol = (value('GHE_PROTOCOL') ?? 'https').toLowerCase();
  if (protocol !== 'https' && protocol !== 'http')
    problems.push(`GHE_PROTOCOL='${protocol}' must be https or http.`);
  if (host && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(host))
    problems.push(`GHE_HOST='${host}' must be a host name such as github.example.com (no scheme, no path).`);
  const baseUrl = host ? `${protocol}://${host}/api/v3` : 'https://api.github.com';

  if (!appId || !privateKey || !webhookSecret) return null;
  return { appId, privateKey, webhookSecret, baseUrl };
}

/** The variables a GitHub-connected server needs, for the embedded-mode log line. */
export const GITHUB_VARIABLES = ['APP_ID', 'PRIVATE_KEY (or PRIVATE_KEY_PATH)', 'WEBHOOK_SECRET'] as const;

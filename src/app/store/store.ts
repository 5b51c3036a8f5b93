import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';
import type {
  EnvironmentFilter,
  EnvironmentRecord,
  Page,
  ReportFetch,
  StatusChange,
  StatusEvent,
  StoreOptions,
  SyncRecord,
} from './types.js';
import type { Status } from '../../engine/report/types.js';

type Row = Record<string, unknown>;

const JSON_COLUMNS = [
  'drift',
  'outputs',
  'meta_config',
  'infra_model',
  'state_backend',
  'last_counts',
  'last_pr',
] as const;

/** Thrown for a cursor the API did not hand out. */
export class InvalidCursorError extends Error {}

function encodeCursor(value: string | number): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor<T extends string | number>(cursor: string, kind: 'string' | 'number'): T {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof value === kind) return value as T;
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError(`cursor '${cursor}' is not one this API returned; start again without it`);
}

/** Statuses that wait on a runner (mirrors `TRANSITIONAL` in src/app/lifecycle.ts). */
const TRANSITIONAL_SQL = "('queued', 'provisioning', 'bootstrapping', 'destroy_queued', 'destroying')";
const TRANSITIONAL_STATUSES: ReadonlySet<unknown> = new Set([
  'queued',
  'provisioning',
  'bootstrapping',
  'destroy_queued',
  'destroying',
]);

function toRecord(row: Row, staleBefore?: number): EnvironmentRecord {
  // Stale is checked on read too, so a reader never sees a stuck environment as fresh between timer ticks.
  const overdue =
    staleBefore !== undefined &&
    TRANSITIONAL_STATUSES.has(row.status) &&
    Date.parse(row.status_changed_at as string) < staleBefore;
  const record: Row = { ...row, stale: row.stale === 1 || overdue };
  for (const column of JSON_COLUMNS) {
    const raw = row[column];
    record[column] = typeof raw === 'string' ? JSON.parse(raw) : raw;
  }
  return record as unknown as EnvironmentRecord;
}

function fromRecord(record: EnvironmentRecord): Row {
  const row: Row = { ...record, stale: record.stale ? 1 : 0 };
  for (const column of JSON_COLUMNS) {
    const value = record[column];
    row[column] = value === null || value === undefined ? null : JSON.stringify(value);
  }
  return row;
}

const ENV_COLUMNS = [
  'name',
  'repo',
  'path',
  'cloud',
  'region',
  'account',
  'status',
  'stale',
  'drift',
  'outputs',
  'meta_config',
  'infra_model',
  'state_backend',
  'error_message',
  'last_counts',
  'created_at',
  'updated_at',
  'provisioned_at',
  'destroyed_at',
  'status_changed_at',
  'last_commit',
  'last_run_url',
  'last_pr',
  'deployment_id',
  'deployment_status_id',
] as const;

/** ENV_COLUMNS with the two large documents read as NULL, for list pages that do not show them. */
const SUMMARY_SELECT = ENV_COLUMNS.map((c) =>
  c === 'meta_config' || c === 'infra_model' ? `NULL AS ${c}` : c,
).join(', ');

/**
 * The SQLite index (better-sqlite3, WAL). A cache of what GitHub holds: every webhook's
 * writes go through `transaction()` so a crash leaves either all or none of them.
 * Listeners on `changes` hear about status changes after their transaction commits.
 */
export class IndexStore {
  readonly db: Database.Database;
  private readonly emitter = new EventEmitter();
  private pending: StatusChange[] = [];
  private changesStatement?: Database.Statement;
  private dataVersionStatement?: Database.Statement;

  private readonly staleAfterMs: number | undefined;
  private readonly now: () => Date;

  constructor(
    readonly path: string,
    options: StoreOptions = {},
  ) {
    this.staleAfterMs = options.staleAfterMs;
    this.now = options.now ?? (() => new Date());
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.emitter.setMaxListeners(0);
    this.migrate();
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (let version = current; version < MIGRATIONS.length; version++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[version]!);
        this.db.pragma(`user_version = ${version + 1}`);
      })();
    }
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** Runs `fn` in one transaction; status-change listeners fire only after it commits. */
  transaction<T>(fn: () => T): T {
    const outer = !this.db.inTransaction;
    try {
      const result = this.db.transaction(fn)();
      if (outer) this.flushChanges();
      return result;
    } catch (error) {
      if (outer) this.pending = [];
      throw error;
    }
  }

  private flushChanges(): void {
    const changes = this.pending;
    this.pending = [];
    for (const change of changes) this.emitter.emit('change', change);
  }

  onStatusChange(listener: (change: StatusChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /** True once; false when the delivery id was seen before (a redelivery changes nothing). */
  claimDelivery(id: string, event: string, at: string): boolean {
    const result = this.db
      .prepare('INSERT OR IGNORE INTO deliveries (id, event, received_at) VALUES (?, ?, ?)')
      .run(id, event, at);
    return result.changes === 1;
  }

  getEnvironment(name: string): EnvironmentRecord | undefined {
    const row = this.cachedStatement('SELECT * FROM environments WHERE name = ?').get(name) as
      Row | undefined;
    return row ? this.toRecord(row) : undefined;
  }

  /** Inserts or replaces the whole record. */
  putEnvironment(record: EnvironmentRecord): void {
    const placeholders = ENV_COLUMNS.map((c) => `@${c}`).join(', ');
    this.db
      .prepare(`INSERT OR REPLACE INTO environments (${ENV_COLUMNS.join(', ')}) VALUES (${placeholders})`)
      .run(fromRecord(record));
  }

  deleteEnvironment(name: string): void {
    this.db.prepare('DELETE FROM environments WHERE name = ?').run(name);
  }

  /**
   * Moves an environment to `status`, appends the event and queues the change for listeners.
   * The caller decides whether the transition is allowed (ordering rules live in the handlers' service).
   */
  recordStatus(
    name: string,
    status: Status,
    event: Omit<StatusEvent, 'id' | 'environment' | 'status' | 'previous_status'>,
    patch: Partial<EnvironmentRecord> = {},
  ): EnvironmentRecord {
    const current = this.getEnvironment(name);
    if (!current) throw new Error(`environment '${name}' is not in the index`);
    const next: EnvironmentRecord = {
      ...current,
      ...patch,
      status,
      updated_at: event.at,
      status_changed_at: current.status === status ? current.status_changed_at : event.at,
      stale: patch.stale ?? false,
    };
    this.putEnvironment(next);
    const info = this.db
      .prepare(
        `INSERT INTO status_events
         (environment, status, previous_status, description, at, deployment_id, deployment_status_id, delivery_id, run_url)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        name,
        status,
        current.status,
        event.description,
        event.at,
        event.deployment_id,
        event.deployment_status_id,
        event.delivery_id,
        event.run_url,
      );
    const stored: StatusEvent = {
      id: Number(info.lastInsertRowid),
      environment: name,
      status,
      previous_status: current.status,
      ...event,
    };
    this.pending.push({ environment: name, event: stored });
    if (!this.db.inTransaction) this.flushChanges();
    return next;
  }

  /** Stable order by name; the cursor is the last name of the previous page. */
  listEnvironments(
    filter: EnvironmentFilter,
    limit: number,
    cursor?: string,
    options: { documents?: boolean } = {},
  ): Page<EnvironmentRecord> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const key of ['status', 'cloud', 'region', 'repo'] as const) {
      if (filter[key] !== undefined) {
        where.push(`${key} = ?`);
        params.push(filter[key]);
      }
    }
    if (cursor !== undefined) {
      where.push('name > ?');
      params.push(decodeCursor<string>(cursor, 'string'));
    }
    // Without documents, meta_config and infra_model (most of a row's bytes) are neither read nor parsed.
    const columns = options.documents === false ? SUMMARY_SELECT : '*';
    const sql = `SELECT ${columns} FROM environments ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name LIMIT ?`;
    const rows = this.cachedStatement(sql).all(...params, limit + 1) as Row[];
    const items = rows.slice(0, limit).map((row) => this.toRecord(row));
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodeCursor(last.name) : null };
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** Prepared once per distinct SQL text (the list's filter combinations are a small, fixed set). */
  private cachedStatement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Newest first; the cursor is the last event id of the previous page. */
  listEvents(name: string, limit: number, cursor?: string): Page<StatusEvent> {
    const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor<number>(cursor, 'number');
    const rows = this.cachedStatement(
      'SELECT * FROM status_events WHERE environment = ? AND id < ? ORDER BY id DESC LIMIT ?',
    ).all(name, before, limit + 1) as StatusEvent[];
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null };
  }

  countByStatus(): Record<string, number> {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM environments GROUP BY status').all() as {
      status: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /**
   * Rows written through this connection so far (`total_changes()`): moves with every write this
   * process makes, however it makes it. About 0.1 us, no lock taken.
   */
  localChanges(): number {
    this.changesStatement ??= this.db.prepare('SELECT total_changes()').pluck();
    return this.changesStatement.get() as number;
  }

  /**
   * Moves when another connection (another process, such as `reindex`) commits
   * (`PRAGMA data_version`). It opens a read transaction, a few microseconds and a shared-memory
   * lock; the REST API asks at most every few milliseconds rather than on every request.
   */
  externalVersion(): number {
    this.dataVersionStatement ??= this.db.prepare('PRAGMA data_version').pluck();
    return this.dataVersionStatement.get() as number;
  }

  /** Milliseconds since the epoch by the store's clock, the one `stale` is derived from. */
  nowMs(): number {
    return this.now().getTime();
  }

  /**
   * When `record` will read as stale by the clock alone (milliseconds since the epoch), or
   * undefined when it cannot: it is not transitional, already stale, or staleness is off.
   */
  staleAt(record: EnvironmentRecord): number | undefined {
    if (this.staleAfterMs === undefined || record.stale || !TRANSITIONAL_STATUSES.has(record.status)) {
      return undefined;
    }
    // toRecord marks it stale once status_changed_at < now - staleAfterMs: one millisecond after this sum.
    return Date.parse(record.status_changed_at) + this.staleAfterMs + 1;
  }

  /** Sizes for the metrics endpoint: environment and event rows, and the database file in bytes. */
  stats(): { environments: number; events: number; bytes: number } {
    const environments = (this.db.prepare('SELECT COUNT(*) AS n FROM environments').get() as { n: number }).n;
    const events = (this.db.prepare('SELECT COUNT(*) AS n FROM status_events').get() as { n: number }).n;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    return { environments, events, bytes: pages * pageSize };
  }

  private toRecord(row: Row): EnvironmentRecord {
    return toRecord(
      row,
      this.staleAfterMs === undefined ? undefined : this.now().getTime() - this.staleAfterMs,
    );
  }

  /** True when the delivery was already applied (a cheap pre-check; `claimDelivery` decides). */
  hasDelivery(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM deliveries WHERE id = ?').get(id) !== undefined;
  }

  /** Environments a repository declares, by name. */
  environmentsOfRepo(repo: string): EnvironmentRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM environments WHERE repo = ? ORDER BY name')
      .all(repo) as Row[];
    return rows.map((row) => this.toRecord(row));
  }

  getSync(name: string): SyncRecord | undefined {
    return this.db.prepare('SELECT * FROM environment_sync WHERE name = ?').get(name) as
      SyncRecord | undefined;
  }

  /** Merges `patch` into the environment's sync record. */
  putSync(name: string, patch: Partial<Omit<SyncRecord, 'name'>>): void {
    const current: SyncRecord = this.getSync(name) ?? {
      name,
      file_sha: null,
      installation_id: null,
      source: null,
      source_at: null,
      run_id: null,
      operation: null,
      file_at: null,
      run_url_deployment: null,
      run_url_seq: null,
      report_deployment: null,
    };
    this.db
      .prepare(
        `INSERT OR REPLACE INTO environment_sync
         (name, file_sha, installation_id, source, source_at, run_id, operation, file_at, run_url_deployment, run_url_seq, report_deployment)
         VALUES (@name, @file_sha, @installation_id, @source, @source_at, @run_id, @operation, @file_at, @run_url_deployment, @run_url_seq, @report_deployment)`,
      )
      .run({ ...current, ...patch, name });
  }

  /** Names of environments whose last known workflow run is `runId`. */
  environmentsOfRun(runId: number): string[] {
    return this.db
      .prepare('SELECT name FROM environment_sync WHERE run_id = ? ORDER BY name')
      .pluck()
      .all(runId) as string[];
  }

  /** Forgets an environment entirely: record, history, bookkeeping and queued report fetches. */
  purgeEnvironment(name: string): void {
    this.db.prepare('DELETE FROM status_events WHERE environment = ?').run(name);
    this.db.prepare('DELETE FROM environment_sync WHERE name = ?').run(name);
    this.db.prepare('DELETE FROM report_fetches WHERE environment = ?').run(name);
    this.db.prepare('DELETE FROM environments WHERE name = ?').run(name);
  }

  recordRunEnd(runId: number, repo: string, conclusion: string, at: string): void {
    this.db
      .prepare('INSERT OR IGNORE INTO run_endings (run_id, repo, conclusion, at) VALUES (?, ?, ?, ?)')
      .run(runId, repo, conclusion, at);
  }

  getRunEnd(runId: number): { at: string; conclusion: string } | undefined {
    return this.db.prepare('SELECT at, conclusion FROM run_endings WHERE run_id = ?').get(runId) as
      { at: string; conclusion: string } | undefined;
  }

  /** Queues a report fetch (once per environment and deployment). */
  enqueueReportFetch(fetch: Omit<ReportFetch, 'attempts' | 'last_error'>): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO report_fetches
         (environment, deployment_id, repo, sha, installation_id, attempts, next_attempt_at, last_error, created_at)
         VALUES (@environment, @deployment_id, @repo, @sha, @installation_id, 0, @next_attempt_at, NULL, @created_at)`,
      )
      .run(fetch);
  }

  /** Report fetches due at `now`, oldest first. */
  dueReportFetches(now: string, limit = 50): ReportFetch[] {
    return this.db
      .prepare(
        'SELECT * FROM report_fetches WHERE next_attempt_at <= ? ORDER BY next_attempt_at, environment LIMIT ?',
      )
      .all(now, limit) as ReportFetch[];
  }

  listReportFetches(): ReportFetch[] {
    return this.db
      .prepare('SELECT * FROM report_fetches ORDER BY environment, deployment_id')
      .all() as ReportFetch[];
  }

  rescheduleReportFetch(
    environment: string,
    deploymentId: number,
    attempts: number,
    nextAt: string,
    error: string,
  ): void {
    this.db
      .prepare(
        'UPDATE report_fetches SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE environment = ? AND deployment_id = ?',
      )
      .run(attempts, nextAt, error, environment, deploymentId);
  }

  deleteReportFetch(environment: string, deploymentId: number): void {
    this.db
      .prepare('DELETE FROM report_fetches WHERE environment = ? AND deployment_id = ?')
      .run(environment, deploymentId);
  }

  /**
   * Flags environments that entered a transitional status before `before` and are not yet
   * flagged; returns them (for the warn log line). Does not touch `updated_at`.
   */
  markStale(before: string): EnvironmentRecord[] {
    return this.transaction(() => {
      const rows = this.db
        .prepare(
          `SELECT * FROM environments WHERE stale = 0 AND status IN ${TRANSITIONAL_SQL} AND status_changed_at < ? ORDER BY name`,
        )
        .all(before) as Row[];
      const mark = this.db.prepare('UPDATE environments SET stale = 1 WHERE name = ?');
      for (const row of rows) mark.run(row.name);
      return rows.map((row) => ({ ...this.toRecord(row), stale: true }));
    });
  }

  /**
   * Forgets delivery ids and run endings older than `before` (GitHub redelivers for a few days
   * only), so the tables stay small. Returns how many rows went.
   */
  prune(before: string): number {
    return this.transaction(() => {
      const deliveries = this.db.prepare('DELETE FROM deliveries WHERE received_at < ?').run(before).changes;
      const runs = this.db.prepare('DELETE FROM run_endings WHERE at < ?').run(before).changes;
      const orphans = this.db.prepare('DELETE FROM orphan_events WHERE received_at < ?').run(before).changes;
      return deliveries + runs + orphans;
    });
  }

  /** Parks a lifecycle event for an environment not declared yet (JSON-serialisable parts only). */
  parkOrphanEvent(environment: string, repo: string, event: unknown, context: unknown, at: string): void {
    this.db
      .prepare(
        'INSERT INTO orphan_events (environment, repo, event, context, received_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(environment, repo, JSON.stringify(event), JSON.stringify(context), at);
  }

  /** Removes and returns the parked events of an environment of `repo`, oldest first. */
  takeOrphanEvents(environment: string, repo: string): { event: unknown; context: unknown }[] {
    const rows = this.db
      .prepare('SELECT id, event, context FROM orphan_events WHERE environment = ? AND repo = ? ORDER BY id')
      .all(environment, repo) as { id: number; event: string; context: string }[];
    if (rows.length > 0)
      this.db.prepare('DELETE FROM orphan_events WHERE environment = ? AND repo = ?').run(environment, repo);
    return rows.map((r) => ({ event: JSON.parse(r.event), context: JSON.parse(r.context) }));
  }

  /** Cheap liveness probe for `/health`. */
  isReadable(): boolean {
    try {
      this.cachedStatement('SELECT 1 FROM environments LIMIT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

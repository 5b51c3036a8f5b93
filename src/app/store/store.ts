import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';
import type { EnvironmentFilter, EnvironmentRecord, Page, StatusChange, StatusEvent } from './types.js';
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

function toRecord(row: Row): EnvironmentRecord {
  const record: Row = { ...row, stale: row.stale === 1 };
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

/**
 * The SQLite index (better-sqlite3, WAL). A cache of what GitHub holds: every webhook's
 * writes go through `transaction()` so a crash leaves either all or none of them.
 * Listeners on `changes` hear about status changes after their transaction commits.
 */
export class IndexStore {
  readonly db: Database.Database;
  private readonly emitter = new EventEmitter();
  private pending: StatusChange[] = [];
  private versionStatements?: [Database.Statement, Database.Statement];

  constructor(readonly path: string) {
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
    const row = this.db.prepare('SELECT * FROM environments WHERE name = ?').get(name) as Row | undefined;
    return row ? toRecord(row) : undefined;
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
  listEnvironments(filter: EnvironmentFilter, limit: number, cursor?: string): Page<EnvironmentRecord> {
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
    const sql = `SELECT * FROM environments ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, limit + 1) as Row[];
    const items = rows.slice(0, limit).map(toRecord);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodeCursor(last.name) : null };
  }

  /** Newest first; the cursor is the last event id of the previous page. */
  listEvents(name: string, limit: number, cursor?: string): Page<StatusEvent> {
    const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor<number>(cursor, 'number');
    const rows = this.db
      .prepare('SELECT * FROM status_events WHERE environment = ? AND id < ? ORDER BY id DESC LIMIT ?')
      .all(name, before, limit + 1) as StatusEvent[];
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
   * A token that changes whenever the index may have changed: rows written through this
   * connection (`total_changes()`) or commits by any other connection (`PRAGMA data_version`).
   * Cheap enough to call on every request; the REST API keys its response cache and ETags on it.
   */
  dataVersion(): string {
    this.versionStatements ??= [
      this.db.prepare('SELECT total_changes()').pluck(),
      this.db.prepare('PRAGMA data_version').pluck(),
    ];
    const [own, other] = this.versionStatements;
    return `${own.get() as number}.${other.get() as number}`;
  }

  /** Sizes for the metrics endpoint: environment and event rows, and the database file in bytes. */
  stats(): { environments: number; events: number; bytes: number } {
    const environments = (this.db.prepare('SELECT COUNT(*) AS n FROM environments').get() as { n: number }).n;
    const events = (this.db.prepare('SELECT COUNT(*) AS n FROM status_events').get() as { n: number }).n;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    return { environments, events, bytes: pages * pageSize };
  }

  /** Cheap liveness probe for `/health`. */
  isReadable(): boolean {
    try {
      this.db.prepare('SELECT 1 FROM environments LIMIT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

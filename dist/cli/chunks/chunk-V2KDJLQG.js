import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  estimateCost,
  formatDiagnostic,
  parseEnvironment,
  toInfraModel
} from "./chunk-W6VJJCRI.js";

// src/app/store/store.ts
import { EventEmitter } from "node:events";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

// src/app/store/migrations.ts
var MIGRATIONS = [
  // 1: the original design's environments table, the status history and delivery de-duplication.
  `
  CREATE TABLE environments (
    name                 TEXT PRIMARY KEY,
    repo                 TEXT NOT NULL,
    path                 TEXT NOT NULL,
    cloud                TEXT NOT NULL CHECK (cloud IN ('aws', 'gcp')),
    region               TEXT NOT NULL,
    account              TEXT NOT NULL,
    status               TEXT NOT NULL,
    stale                INTEGER NOT NULL DEFAULT 0,
    drift                TEXT,
    outputs              TEXT NOT NULL DEFAULT '{}',
    meta_config          TEXT,
    infra_model          TEXT,
    state_backend        TEXT,
    error_message        TEXT,
    last_counts          TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    provisioned_at       TEXT,
    destroyed_at         TEXT,
    status_changed_at    TEXT NOT NULL,
    last_commit          TEXT,
    last_run_url         TEXT,
    last_pr              TEXT,
    deployment_id        INTEGER,
    deployment_status_id INTEGER
  );
  CREATE INDEX environments_status ON environments (status);
  CREATE INDEX environments_repo ON environments (repo);

  CREATE TABLE status_events (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    environment          TEXT NOT NULL,
    status               TEXT NOT NULL,
    previous_status      TEXT,
    description          TEXT,
    at                   TEXT NOT NULL,
    deployment_id        INTEGER,
    deployment_status_id INTEGER,
    delivery_id          TEXT,
    run_url              TEXT
  );
  CREATE INDEX status_events_environment ON status_events (environment, id);

  CREATE TABLE deliveries (
    id          TEXT PRIMARY KEY,
    event       TEXT NOT NULL,
    received_at TEXT NOT NULL
  );
  `,
  // 2: what the App needs to stay order-proof and to finish interrupted work: per-environment
  // ordering state, workflow runs that died, and report fetches still to do.
  `
  CREATE TABLE environment_sync (
    name            TEXT PRIMARY KEY,
    file_sha        TEXT,
    installation_id INTEGER,
    source          TEXT,
    source_at       TEXT,
    run_id          INTEGER,
    operation       TEXT
  );
  CREATE INDEX environment_sync_run ON environment_sync (run_id);

  CREATE TABLE run_endings (
    run_id     INTEGER PRIMARY KEY,
    repo       TEXT NOT NULL,
    conclusion TEXT NOT NULL,
    at         TEXT NOT NULL
  );

  CREATE TABLE report_fetches (
    environment     TEXT NOT NULL,
    deployment_id   INTEGER NOT NULL,
    repo            TEXT NOT NULL,
    sha             TEXT NOT NULL,
    installation_id INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (environment, deployment_id)
  );
  `,
  // 3: order-proof bookkeeping: when the indexed file content is from, which deployment event
  // gave the last run URL, and which deployment's report the outputs come from.
  `
  ALTER TABLE environment_sync ADD COLUMN file_at TEXT;
  ALTER TABLE environment_sync ADD COLUMN run_url_deployment INTEGER;
  ALTER TABLE environment_sync ADD COLUMN run_url_seq REAL;
  ALTER TABLE environment_sync ADD COLUMN report_deployment INTEGER;

  -- Deployment events for an environment the index does not know yet (its declaring push has
  -- not arrived); replayed when it is declared.
  CREATE TABLE orphan_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    environment TEXT NOT NULL,
    repo        TEXT NOT NULL,
    event       TEXT NOT NULL,
    context     TEXT NOT NULL,
    received_at TEXT NOT NULL
  );
  CREATE INDEX orphan_events_environment ON orphan_events (environment, repo);
  `
];

// src/app/store/store.ts
var JSON_COLUMNS = [
  "drift",
  "outputs",
  "meta_config",
  "infra_model",
  "state_backend",
  "last_counts",
  "last_pr"
];
var InvalidCursorError = class extends Error {
};
function encodeCursor(value) {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
function decodeCursor(cursor, kind) {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof value === kind) return value;
  } catch {
  }
  throw new InvalidCursorError(`cursor '${cursor}' is not one this API returned; start again without it`);
}
var TRANSITIONAL_SQL = "('queued', 'provisioning', 'bootstrapping', 'destroy_queued', 'destroying')";
var TRANSITIONAL_STATUSES = /* @__PURE__ */ new Set([
  "queued",
  "provisioning",
  "bootstrapping",
  "destroy_queued",
  "destroying"
]);
function toRecord(row, staleBefore) {
  const overdue = staleBefore !== void 0 && TRANSITIONAL_STATUSES.has(row.status) && Date.parse(row.status_changed_at) < staleBefore;
  const record = { ...row, stale: row.stale === 1 || overdue };
  for (const column of JSON_COLUMNS) {
    const raw = row[column];
    record[column] = typeof raw === "string" ? JSON.parse(raw) : raw;
  }
  return record;
}
function fromRecord(record) {
  const row = { ...record, stale: record.stale ? 1 : 0 };
  for (const column of JSON_COLUMNS) {
    const value = record[column];
    row[column] = value === null || value === void 0 ? null : JSON.stringify(value);
  }
  return row;
}
var ENV_COLUMNS = [
  "name",
  "repo",
  "path",
  "cloud",
  "region",
  "account",
  "status",
  "stale",
  "drift",
  "outputs",
  "meta_config",
  "infra_model",
  "state_backend",
  "error_message",
  "last_counts",
  "created_at",
  "updated_at",
  "provisioned_at",
  "destroyed_at",
  "status_changed_at",
  "last_commit",
  "last_run_url",
  "last_pr",
  "deployment_id",
  "deployment_status_id"
];
var SUMMARY_SELECT = ENV_COLUMNS.map(
  (c) => c === "meta_config" || c === "infra_model" ? `NULL AS ${c}` : c
).join(", ");
var IndexStore = class {
  constructor(path, options = {}) {
    this.path = path;
    this.staleAfterMs = options.staleAfterMs;
    this.now = options.now ?? (() => /* @__PURE__ */ new Date());
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    this.emitter.setMaxListeners(0);
    this.migrate();
  }
  path;
  db;
  emitter = new EventEmitter();
  pending = [];
  changesStatement;
  dataVersionStatement;
  staleAfterMs;
  now;
  migrate() {
    const current = this.db.pragma("user_version", { simple: true });
    for (let version = current; version < MIGRATIONS.length; version++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[version]);
        this.db.pragma(`user_version = ${version + 1}`);
      })();
    }
  }
  get schemaVersion() {
    return this.db.pragma("user_version", { simple: true });
  }
  /** Runs `fn` in one transaction; status-change listeners fire only after it commits. */
  transaction(fn) {
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
  flushChanges() {
    const changes = this.pending;
    this.pending = [];
    for (const change of changes) this.emitter.emit("change", change);
  }
  onStatusChange(listener) {
    this.emitter.on("change", listener);
    return () => this.emitter.off("change", listener);
  }
  /** True once; false when the delivery id was seen before (a redelivery changes nothing). */
  claimDelivery(id, event, at) {
    const result = this.db.prepare("INSERT OR IGNORE INTO deliveries (id, event, received_at) VALUES (?, ?, ?)").run(id, event, at);
    return result.changes === 1;
  }
  getEnvironment(name) {
    const row = this.cachedStatement("SELECT * FROM environments WHERE name = ?").get(name);
    return row ? this.toRecord(row) : void 0;
  }
  /** Inserts or replaces the whole record. */
  putEnvironment(record) {
    const placeholders = ENV_COLUMNS.map((c) => `@${c}`).join(", ");
    this.db.prepare(`INSERT OR REPLACE INTO environments (${ENV_COLUMNS.join(", ")}) VALUES (${placeholders})`).run(fromRecord(record));
  }
  deleteEnvironment(name) {
    this.db.prepare("DELETE FROM environments WHERE name = ?").run(name);
  }
  /**
   * Moves an environment to `status`, appends the event and queues the change for listeners.
   * The caller decides whether the transition is allowed (ordering rules live in the handlers' service).
   */
  recordStatus(name, status2, event, patch = {}) {
    const current = this.getEnvironment(name);
    if (!current) throw new Error(`environment '${name}' is not in the index`);
    const next = {
      ...current,
      ...patch,
      status: status2,
      updated_at: event.at,
      status_changed_at: current.status === status2 ? current.status_changed_at : event.at,
      stale: patch.stale ?? false
    };
    this.putEnvironment(next);
    const info = this.db.prepare(
      `INSERT INTO status_events
         (environment, status, previous_status, description, at, deployment_id, deployment_status_id, delivery_id, run_url)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
    ).run(
      name,
      status2,
      current.status,
      event.description,
      event.at,
      event.deployment_id,
      event.deployment_status_id,
      event.delivery_id,
      event.run_url
    );
    const stored = {
      id: Number(info.lastInsertRowid),
      environment: name,
      status: status2,
      previous_status: current.status,
      ...event
    };
    this.pending.push({ environment: name, event: stored });
    if (!this.db.inTransaction) this.flushChanges();
    return next;
  }
  /** Stable order by name; the cursor is the last name of the previous page. */
  listEnvironments(filter, limit, cursor, options = {}) {
    const where = [];
    const params = [];
    for (const key of ["status", "cloud", "region", "repo"]) {
      if (filter[key] !== void 0) {
        where.push(`${key} = ?`);
        params.push(filter[key]);
      }
    }
    if (cursor !== void 0) {
      where.push("name > ?");
      params.push(decodeCursor(cursor, "string"));
    }
    const columns = options.documents === false ? SUMMARY_SELECT : "*";
    const sql = `SELECT ${columns} FROM environments ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY name LIMIT ?`;
    const rows = this.cachedStatement(sql).all(...params, limit + 1);
    const items = rows.slice(0, limit).map((row) => this.toRecord(row));
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodeCursor(last.name) : null };
  }
  statements = /* @__PURE__ */ new Map();
  /** Prepared once per distinct SQL text (the list's filter combinations are a small, fixed set). */
  cachedStatement(sql) {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
  /** Newest first; the cursor is the last event id of the previous page. */
  listEvents(name, limit, cursor) {
    const before = cursor === void 0 ? Number.MAX_SAFE_INTEGER : decodeCursor(cursor, "number");
    const rows = this.cachedStatement(
      "SELECT * FROM status_events WHERE environment = ? AND id < ? ORDER BY id DESC LIMIT ?"
    ).all(name, before, limit + 1);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null };
  }
  countByStatus() {
    const rows = this.db.prepare("SELECT status, COUNT(*) AS n FROM environments GROUP BY status").all();
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
  /**
   * Rows written through this connection so far (`total_changes()`): moves with every write this
   * process makes, however it makes it. About 0.1 us, no lock taken.
   */
  localChanges() {
    this.changesStatement ??= this.db.prepare("SELECT total_changes()").pluck();
    return this.changesStatement.get();
  }
  /**
   * Moves when another connection (another process, such as `reindex`) commits
   * (`PRAGMA data_version`). It opens a read transaction, a few microseconds and a shared-memory
   * lock; the REST API asks at most every few milliseconds rather than on every request.
   */
  externalVersion() {
    this.dataVersionStatement ??= this.db.prepare("PRAGMA data_version").pluck();
    return this.dataVersionStatement.get();
  }
  /** Milliseconds since the epoch by the store's clock, the one `stale` is derived from. */
  nowMs() {
    return this.now().getTime();
  }
  /**
   * When `record` will read as stale by the clock alone (milliseconds since the epoch), or
   * undefined when it cannot: it is not transitional, already stale, or staleness is off.
   */
  staleAt(record) {
    if (this.staleAfterMs === void 0 || record.stale || !TRANSITIONAL_STATUSES.has(record.status)) {
      return void 0;
    }
    return Date.parse(record.status_changed_at) + this.staleAfterMs + 1;
  }
  /** Sizes for the metrics endpoint: environment and event rows, and the database file in bytes. */
  stats() {
    const environments = this.db.prepare("SELECT COUNT(*) AS n FROM environments").get().n;
    const events = this.db.prepare("SELECT COUNT(*) AS n FROM status_events").get().n;
    const pages = this.db.pragma("page_count", { simple: true });
    const pageSize = this.db.pragma("page_size", { simple: true });
    return { environments, events, bytes: pages * pageSize };
  }
  toRecord(row) {
    return toRecord(
      row,
      this.staleAfterMs === void 0 ? void 0 : this.now().getTime() - this.staleAfterMs
    );
  }
  /** True when the delivery was already applied (a cheap pre-check; `claimDelivery` decides). */
  hasDelivery(id) {
    return this.db.prepare("SELECT 1 FROM deliveries WHERE id = ?").get(id) !== void 0;
  }
  /** Environments a repository declares, by name. */
  environmentsOfRepo(repo) {
    const rows = this.db.prepare("SELECT * FROM environments WHERE repo = ? ORDER BY name").all(repo);
    return rows.map((row) => this.toRecord(row));
  }
  getSync(name) {
    return this.db.prepare("SELECT * FROM environment_sync WHERE name = ?").get(name);
  }
  /** Merges `patch` into the environment's sync record. */
  putSync(name, patch) {
    const current = this.getSync(name) ?? {
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
      report_deployment: null
    };
    this.db.prepare(
      `INSERT OR REPLACE INTO environment_sync
         (name, file_sha, installation_id, source, source_at, run_id, operation, file_at, run_url_deployment, run_url_seq, report_deployment)
         VALUES (@name, @file_sha, @installation_id, @source, @source_at, @run_id, @operation, @file_at, @run_url_deployment, @run_url_seq, @report_deployment)`
    ).run({ ...current, ...patch, name });
  }
  /** Names of environments whose last known workflow run is `runId`. */
  environmentsOfRun(runId) {
    return this.db.prepare("SELECT name FROM environment_sync WHERE run_id = ? ORDER BY name").pluck().all(runId);
  }
  /** Forgets an environment entirely: record, history, bookkeeping and queued report fetches. */
  purgeEnvironment(name) {
    this.db.prepare("DELETE FROM status_events WHERE environment = ?").run(name);
    this.db.prepare("DELETE FROM environment_sync WHERE name = ?").run(name);
    this.db.prepare("DELETE FROM report_fetches WHERE environment = ?").run(name);
    this.db.prepare("DELETE FROM environments WHERE name = ?").run(name);
  }
  recordRunEnd(runId, repo, conclusion, at) {
    this.db.prepare("INSERT OR IGNORE INTO run_endings (run_id, repo, conclusion, at) VALUES (?, ?, ?, ?)").run(runId, repo, conclusion, at);
  }
  getRunEnd(runId) {
    return this.db.prepare("SELECT at, conclusion FROM run_endings WHERE run_id = ?").get(runId);
  }
  /** Queues a report fetch (once per environment and deployment). */
  enqueueReportFetch(fetch) {
    this.db.prepare(
      `INSERT OR IGNORE INTO report_fetches
         (environment, deployment_id, repo, sha, installation_id, attempts, next_attempt_at, last_error, created_at)
         VALUES (@environment, @deployment_id, @repo, @sha, @installation_id, 0, @next_attempt_at, NULL, @created_at)`
    ).run(fetch);
  }
  /** Report fetches due at `now`, oldest first. */
  dueReportFetches(now, limit = 50) {
    return this.db.prepare(
      "SELECT * FROM report_fetches WHERE next_attempt_at <= ? ORDER BY next_attempt_at, environment LIMIT ?"
    ).all(now, limit);
  }
  listReportFetches() {
    return this.db.prepare("SELECT * FROM report_fetches ORDER BY environment, deployment_id").all();
  }
  rescheduleReportFetch(environment, deploymentId, attempts, nextAt, error) {
    this.db.prepare(
      "UPDATE report_fetches SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE environment = ? AND deployment_id = ?"
    ).run(attempts, nextAt, error, environment, deploymentId);
  }
  deleteReportFetch(environment, deploymentId) {
    this.db.prepare("DELETE FROM report_fetches WHERE environment = ? AND deployment_id = ?").run(environment, deploymentId);
  }
  /**
   * Flags environments that entered a transitional status before `before` and are not yet
   * flagged; returns them (for the warn log line). Does not touch `updated_at`.
   */
  markStale(before) {
    return this.transaction(() => {
      const rows = this.db.prepare(
        `SELECT * FROM environments WHERE stale = 0 AND status IN ${TRANSITIONAL_SQL} AND status_changed_at < ? ORDER BY name`
      ).all(before);
      const mark = this.db.prepare("UPDATE environments SET stale = 1 WHERE name = ?");
      for (const row of rows) mark.run(row.name);
      return rows.map((row) => ({ ...this.toRecord(row), stale: true }));
    });
  }
  /**
   * Forgets delivery ids and run endings older than `before` (GitHub redelivers for a few days
   * only), so the tables stay small. Returns how many rows went.
   */
  prune(before) {
    return this.transaction(() => {
      const deliveries = this.db.prepare("DELETE FROM deliveries WHERE received_at < ?").run(before).changes;
      const runs = this.db.prepare("DELETE FROM run_endings WHERE at < ?").run(before).changes;
      const orphans = this.db.prepare("DELETE FROM orphan_events WHERE received_at < ?").run(before).changes;
      return deliveries + runs + orphans;
    });
  }
  /** Parks a lifecycle event for an environment not declared yet (JSON-serialisable parts only). */
  parkOrphanEvent(environment, repo, event, context, at) {
    this.db.prepare(
      "INSERT INTO orphan_events (environment, repo, event, context, received_at) VALUES (?, ?, ?, ?, ?)"
    ).run(environment, repo, JSON.stringify(event), JSON.stringify(context), at);
  }
  /** Removes and returns the parked events of an environment of `repo`, oldest first. */
  takeOrphanEvents(environment, repo) {
    const rows = this.db.prepare("SELECT id, event, context FROM orphan_events WHERE environment = ? AND repo = ? ORDER BY id").all(environment, repo);
    if (rows.length > 0)
      this.db.prepare("DELETE FROM orphan_events WHERE environment = ? AND repo = ?").run(environment, repo);
    return rows.map((r) => ({ event: JSON.parse(r.event), context: JSON.parse(r.context) }));
  }
  /** Cheap liveness probe for `/health`. */
  isReadable() {
    try {
      this.cachedStatement("SELECT 1 FROM environments LIMIT 1").get();
      return true;
    } catch {
      return false;
    }
  }
  close() {
    if (this.db.open) this.db.close();
  }
};

// src/app/engine.ts
function createEngine(options = {}) {
  return {
    parse: (file, text) => parseEnvironment(file, text),
    model: (config) => toInfraModel(config),
    monthlyCost: options.monthlyCost ?? ((model) => estimateCost(model).monthly_usd)
  };
}

// src/app/render.ts
var COMMENT_MARKER = "<!-- beta9-provisioner:intent -->";
var CHECK_NAME = "beta9 / validate";
var COMMENT_LIMIT = 65536;
var SUMMARY_LIMIT = 65535;
function toAnnotations(problems) {
  return problems.map((d) => {
    const endLine = Math.max(d.endLine ?? d.line, d.line);
    const annotation = {
      path: d.file,
      start_line: Math.max(1, d.line),
      end_line: Math.max(1, endLine),
      annotation_level: "failure",
      message: d.message
    };
    if (endLine === d.line && d.column >= 1) {
      annotation.start_column = d.column;
      annotation.end_column = Math.max(d.endColumn ?? d.column, d.column);
    }
    return annotation;
  });
}
var money = (n) => `$${Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
function formatCostChange(before, after) {
  const delta = (after ?? 0) - (before ?? 0);
  const sign = delta > 0 ? "+" : delta < 0 ? "\u2212" : "\xB1";
  const from = before === null ? "nothing" : money(before);
  const to = after === null ? "nothing" : money(after);
  return `${from} \u2192 ${to} (${sign}${money(delta)}/month)`;
}
var ACTION_WORDS = {
  create: "created",
  change: "changed",
  destroy: "destroyed",
  unchanged: "no infrastructure change",
  invalid: "invalid"
};
function truncate(text, limit, note) {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit - note.length - 1)}
${note}`;
}
function renderIntentComment(report) {
  const lines = [COMMENT_MARKER, "### Beta9 Provisioner: what this pull request does", ""];
  const { intents, problems } = report;
  if (intents.length === 0 && problems.length === 0) {
    lines.push(
      `This pull request no longer changes any environment file (as of ${report.headSha.slice(0, 7)}).`
    );
    return lines.join("\n");
  }
  if (intents.length > 0) {
    lines.push("| Environment | Change | Where | Monthly cost |", "| --- | --- | --- | --- |");
    for (const intent of intents) {
      const where = intent.where ? `${intent.where.provider} ${intent.where.region}` : "\u2014";
      const cost = intent.cost ? formatCostChange(intent.cost.before, intent.cost.after) : "\u2014";
      lines.push(`| \`${intent.name}\` | ${ACTION_WORDS[intent.action]} | ${where} | ${cost} |`);
    }
    const costed = intents.filter((i) => i.cost);
    if (costed.length > 1) {
      const before = costed.reduce((sum, i) => sum + (i.cost.before ?? 0), 0);
      const after = costed.reduce((sum, i) => sum + (i.cost.after ?? 0), 0);
      lines.push("", `**Monthly cost, all environments above:** ${formatCostChange(before, after)}`);
    }
    lines.push("");
  }
  for (const intent of intents) {
    if (intent.changes.length === 0 && intent.warnings.length === 0 && intent.problems.length === 0) continue;
    lines.push(`#### \`${intent.name}\` (${ACTION_WORDS[intent.action]})`);
    for (const change of intent.changes) lines.push(`- ${change}`);
    for (const warning of intent.warnings) lines.push(`- \u26A0\uFE0F **Warning:** ${warning}`);
    lines.push("");
  }
  if (problems.length > 0) {
    lines.push(
      `#### \u274C ${problems.length} problem${problems.length === 1 ? "" : "s"} to fix`,
      "",
      "```",
      ...problems.map(formatDiagnostic),
      "```",
      ""
    );
  }
  if (report.fork) {
    lines.push(
      `> This pull request comes from the fork \`${report.fork.repo}\`. Plans run only after a maintainer has reviewed it: a maintainer approves the workflow run, or pushes the branch to this repository.`,
      ""
    );
  }
  lines.push(
    problems.length > 0 ? "**Next step:** fix the problems above and push; this comment and the `beta9 / validate` check update on every push." : "**Next step:** review the plan posted by the plan workflow, then merge to apply. The environment status is served by the Beta9 Provisioner API."
  );
  return truncate(
    lines.join("\n"),
    COMMENT_LIMIT,
    "\n\u2026(truncated: see the `beta9 / validate` check for every problem)"
  );
}
function renderCheckOutput(report) {
  const { intents, problems } = report;
  const files = new Set(problems.map((p) => p.file));
  const conclusion = problems.length > 0 ? "failure" : "success";
  const title = problems.length > 0 ? `${problems.length} problem${problems.length === 1 ? "" : "s"} in ${files.size} file${files.size === 1 ? "" : "s"}` : intents.length > 0 ? `${intents.length} environment file${intents.length === 1 ? "" : "s"} valid` : "No environment files changed";
  const lines = [];
  if (intents.length === 0 && problems.length === 0) {
    lines.push("This pull request changes no file under `environments/`.");
  }
  for (const intent of intents) lines.push(`- \`${intent.path}\`: ${ACTION_WORDS[intent.action]}`);
  if (problems.length > 0) lines.push("", "```", ...problems.map(formatDiagnostic), "```");
  if (report.fork)
    lines.push("", `From the fork \`${report.fork.repo}\`: plans run only after a maintainer's review.`);
  return { conclusion, title, summary: truncate(lines.join("\n"), SUMMARY_LIMIT, "\u2026(truncated)") };
}

// src/app/github.ts
var ENVIRONMENT_FILE = /^environments\/([^/]+)\.ya?ml$/;
var MAX_FILE_BYTES = 1024 * 1024;
function splitRepo(fullName) {
  const [owner, repo] = fullName.split("/");
  if (!owner || !repo) throw new Error(`'${fullName}' is not an owner/repo name`);
  return { owner, repo };
}
function status(error) {
  return typeof error === "object" && error !== null && "status" in error ? Number(error.status) : void 0;
}
async function readFile(gh, where, path, ref) {
  try {
    const { data } = await gh.rest.repos.getContent({ ...where, path, ref });
    if (Array.isArray(data) || data.type !== "file") throw new Error(`${path} at ${ref} is not a file`);
    if (data.size > MAX_FILE_BYTES) {
      return { text: "x".repeat(MAX_FILE_BYTES + 1), sha: data.sha };
    }
    const text = Buffer.from(data.content ?? "", data.encoding || "base64").toString(
      "utf8"
    );
    return { text, sha: data.sha };
  } catch (error) {
    if (status(error) === 404) return void 0;
    throw error;
  }
}
async function listEnvironmentFiles(gh, where, ref) {
  try {
    const { data } = await gh.rest.repos.getContent({ ...where, path: "environments", ref });
    if (!Array.isArray(data)) return [];
    return data.filter((entry) => entry.type === "file" && ENVIRONMENT_FILE.test(entry.path)).map((entry) => ({ path: entry.path, sha: entry.sha })).sort((a, b) => a.path.localeCompare(b.path));
  } catch (error) {
    if (status(error) === 404) return [];
    throw error;
  }
}
async function listPullFiles(gh, where, pullNumber) {
  const files = await gh.paginate(gh.rest.pulls.listFiles, {
    ...where,
    pull_number: pullNumber,
    per_page: 100
  });
  return files.map((f) => ({
    filename: f.filename,
    status: f.status,
    previous_filename: f.previous_filename
  }));
}
var ANNOTATIONS_PER_REQUEST = 50;
async function publishCheckRun(gh, where, run) {
  const batches = [];
  for (let i = 0; i < run.annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(run.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  const output = { title: run.title, summary: run.summary };
  const { data } = await gh.rest.checks.create({
    ...where,
    name: run.name,
    head_sha: run.headSha,
    status: "completed",
    conclusion: run.conclusion,
    completed_at: run.completedAt,
    output: { ...output, annotations: batches[0] ?? [] }
  });
  for (const batch of batches.slice(1)) {
    await gh.rest.checks.update({
      ...where,
      check_run_id: data.id,
      output: { ...output, annotations: batch }
    });
  }
  return data.id;
}
async function upsertStickyComment(gh, where, issueNumber, body, options) {
  const comments = await gh.paginate(gh.rest.issues.listComments, {
    ...where,
    issue_number: issueNumber,
    per_page: 100
  });
  const existing = comments.find((c) => c.body?.includes(COMMENT_MARKER));
  if (existing) {
    if (existing.body !== body)
      await gh.rest.issues.updateComment({ ...where, comment_id: existing.id, body });
    return { id: existing.id, created: false };
  }
  if (!options.createIfMissing) return void 0;
  const { data } = await gh.rest.issues.createComment({ ...where, issue_number: issueNumber, body });
  return { id: data.id, created: true };
}

// src/engine/report/types.ts
var STATUSES = [
  "pending",
  "queued",
  "provisioning",
  "bootstrapping",
  "ready",
  "destroy_queued",
  "destroying",
  "destroyed",
  "failed"
];

// src/app/lifecycle.ts
var TRANSITIONAL = /* @__PURE__ */ new Set([
  "queued",
  "provisioning",
  "bootstrapping",
  "destroy_queued",
  "destroying"
]);
var FINAL = /* @__PURE__ */ new Set(["ready", "destroyed", "failed"]);
var PHASES = new Set(STATUSES.filter((s) => s !== "pending"));
function parsePhase(state, description, operation) {
  const text = (description ?? "").trim();
  const match = /^([a-z_]+)\b\s*:?\s*(.*)$/s.exec(text);
  if (match && PHASES.has(match[1])) {
    const phase = match[1];
    const reason = phase === "failed" ? match[2].trim() || "the run reported a failure without a reason" : null;
    return { phase, reason };
  }
  switch (state) {
    case "queued":
    case "pending":
      return { phase: operation === "destroy" ? "destroy_queued" : "queued", reason: null };
    case "in_progress":
      return { phase: operation === "destroy" ? "destroying" : "provisioning", reason: null };
    case "success":
      return { phase: operation === "destroy" ? "destroyed" : "ready", reason: null };
    case "failure":
    case "error":
      return { phase: "failed", reason: text || `the deployment status was '${state}'` };
    default:
      return void 0;
  }
}
function isDeploymentEvent(e) {
  return e.kind === "deployment" || e.kind === "status";
}
function staleness(state, event) {
  if (isDeploymentEvent(event) && state.deploymentId !== null && event.deploymentId < state.deploymentId) {
    return `deployment ${event.deploymentId} is superseded by deployment ${state.deploymentId}`;
  }
  if (isDeploymentEvent(event) && state.source === "deployment") {
    if (event.deploymentId > state.deploymentId) return void 0;
    const seq = event.kind === "status" ? event.statusId : 0;
    return seq > (state.statusSeq ?? -1) ? void 0 : `deployment ${event.deploymentId} is already at a later or the same status`;
  }
  if (state.at === null) return void 0;
  const a = Date.parse(event.at);
  const b = Date.parse(state.at);
  if (a > b) return void 0;
  if (a === b && isDeploymentEvent(event) && state.source === "push") return void 0;
  return `an event from ${state.at} is already applied and this one is from ${event.at}`;
}
function describe(status2, reason, detail) {
  return status2 === "failed" && reason ? `failed: ${reason}` : `${status2} (${detail})`;
}
function step(state, event, endedRuns = /* @__PURE__ */ new Map()) {
  if (event.kind === "run_end") return endRun(state, event.runId, event);
  const why = staleness(state, event);
  if (why) return { state, transitions: [], ignored: why };
  let next;
  let description;
  if (event.kind === "push") {
    const status2 = event.operation === "destroy" ? "destroy_queued" : "queued";
    next = { ...state, status: status2, at: event.at, source: "push", operation: event.operation, errorMessage: null };
    description = `${status2} (${event.operation === "destroy" ? "file removed" : "file changed"} on the default branch${event.commit ? ` in ${event.commit.slice(0, 7)}` : ""})`;
  } else {
    const sameDeployment = event.deploymentId === state.deploymentId;
    const runId = event.runId ?? (sameDeployment ? state.runId : null);
    if (event.kind === "deployment") {
      const status2 = event.operation === "destroy" ? "destroy_queued" : "queued";
      next = {
        status: status2,
        deploymentId: event.deploymentId,
        statusSeq: 0,
        at: event.at,
        source: "deployment",
        runId,
        operation: event.operation,
        errorMessage: null
      };
      description = `${status2} (deployment ${event.deploymentId})`;
    } else {
      next = {
        status: event.phase,
        deploymentId: event.deploymentId,
        statusSeq: event.statusId,
        at: event.at,
        source: "deployment",
        runId,
        operation: event.operation,
        errorMessage: event.phase === "failed" ? event.reason : null
      };
      description = describe(event.phase, event.reason, `deployment ${event.deploymentId}`);
    }
  }
  const transitions = [
    { status: next.status, previous: state.status, description, at: event.at }
  ];
  const ended = next.runId !== null ? endedRuns.get(next.runId) : void 0;
  if (ended && next.source === "deployment") {
    const after = endRun(next, next.runId, ended);
    return { state: after.state, transitions: [...transitions, ...after.transitions] };
  }
  return { state: next, transitions };
}
function endRun(state, runId, end) {
  if (state.runId !== runId || state.source !== "deployment") {
    return { state, transitions: [], ignored: `run ${runId} is not the run this environment is waiting on` };
  }
  if (!TRANSITIONAL.has(state.status)) {
    return { state, transitions: [], ignored: `the environment is already ${state.status}` };
  }
  const reason = `the workflow run was ${end.conclusion.replace(/_/g, " ")} while ${state.status}`;
  const next = {
    ...state,
    status: "failed",
    statusSeq: (state.statusSeq ?? 0) + 0.5,
    errorMessage: reason
  };
  return {
    state: next,
    transitions: [{ status: "failed", previous: state.status, description: `failed: ${reason}`, at: end.at }]
  };
}

// src/app/services/records.ts
function redactConfig(config) {
  if (config.cloud.provider !== "aws" || config.cloud.external_id === void 0) return config;
  return { ...config, cloud: { ...config.cloud, external_id: "[redacted]" } };
}
function redactModel(model) {
  if (model.cloud.externalId === void 0) return model;
  return { ...model, cloud: { ...model.cloud, externalId: "[redacted]" } };
}
var SENSITIVE_OUTPUT = /(password|passwd|secret_value|private_key|token|credential|kubeconfig|ca_cert|client_key)/i;
function sanitizeOutputs(outputs) {
  const clean = {};
  if (typeof outputs !== "object" || outputs === null) return clean;
  for (const [key, value] of Object.entries(outputs)) {
    if (SENSITIVE_OUTPUT.test(key)) continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      clean[key] = value;
  }
  return clean;
}
function recordFromConfig(input, existing) {
  const { config, model } = input;
  const account = config.cloud.provider === "aws" ? config.cloud.account_id : config.cloud.project_id;
  const base = existing ?? {
    name: config.name,
    repo: input.repo,
    path: input.path,
    cloud: config.cloud.provider,
    region: config.cloud.region,
    account,
    status: "pending",
    stale: false,
    drift: null,
    outputs: {},
    meta_config: null,
    infra_model: null,
    state_backend: null,
    error_message: null,
    last_counts: null,
    created_at: input.at,
    updated_at: input.at,
    provisioned_at: null,
    destroyed_at: null,
    status_changed_at: input.at,
    last_commit: null,
    last_run_url: null,
    last_pr: null,
    deployment_id: null,
    deployment_status_id: null
  };
  return {
    ...base,
    repo: input.repo,
    path: input.path,
    cloud: config.cloud.provider,
    region: config.cloud.region,
    account,
    meta_config: redactConfig(config),
    infra_model: redactModel(model),
    state_backend: model.stateBackend,
    updated_at: existing ? input.at : base.updated_at,
    last_commit: input.commit ?? base.last_commit
  };
}
function lifecycleState(store, name) {
  const record = store.getEnvironment(name);
  if (!record) return void 0;
  const sync = store.getSync(name);
  return {
    status: record.status,
    deploymentId: record.deployment_id,
    statusSeq: record.deployment_status_id,
    at: sync?.source_at ?? null,
    source: sync?.source ?? null,
    runId: sync?.run_id ?? null,
    operation: sync?.operation ?? null,
    errorMessage: record.error_message
  };
}
function applyLifecycleEvent(deps, name, event, ctx) {
  const { store } = deps;
  const log = ctx.log.child({ environment: name });
  const before = lifecycleState(store, name);
  if (!before) throw new Error(`environment '${name}' is not in the index`);
  const runId = event.kind === "run_end" ? event.runId : event.kind === "push" ? null : event.runId;
  const ended = runId !== null ? store.getRunEnd(runId) : void 0;
  const result = step(before, event, ended && runId !== null ? /* @__PURE__ */ new Map([[runId, ended]]) : /* @__PURE__ */ new Map());
  if (event.kind === "status" && (event.phase === "ready" || event.phase === "destroyed")) {
    const column = event.phase === "ready" ? "provisioned_at" : "destroyed_at";
    store.db.prepare(
      `UPDATE environments SET ${column} = ? WHERE name = ? AND (${column} IS NULL OR ${column} < ?)`
    ).run(event.at, name, event.at);
  }
  if ((event.kind === "deployment" || event.kind === "status") && ctx.runUrl) {
    const seq = event.kind === "status" ? event.statusId : 0;
    const sync = store.getSync(name);
    const newer = sync?.run_url_deployment == null || event.deploymentId > sync.run_url_deployment || event.deploymentId === sync.run_url_deployment && seq >= (sync.run_url_seq ?? -1);
    if (newer) {
      store.db.prepare("UPDATE environments SET last_run_url = ? WHERE name = ?").run(ctx.runUrl, name);
      store.putSync(name, { run_url_deployment: event.deploymentId, run_url_seq: seq });
    }
  }
  let reportQueued = false;
  if (event.kind === "status" && FINAL.has(event.phase) && ctx.report) {
    const reported = store.getSync(name)?.report_deployment ?? null;
    if (reported === null || event.deploymentId > reported) {
      store.enqueueReportFetch({
        environment: name,
        deployment_id: event.deploymentId,
        repo: ctx.report.repo,
        sha: ctx.report.sha,
        installation_id: ctx.report.installationId,
        next_attempt_at: deps.now().toISOString(),
        created_at: deps.now().toISOString()
      });
      reportQueued = true;
    }
  }
  if (result.transitions.length === 0) {
    log.info({ reason: result.ignored }, `Ignoring ${event.kind} event: ${result.ignored}`);
    return { environment: name, changed: false, state: before, reportQueued };
  }
  const state = result.state;
  for (const transition of result.transitions) {
    const record = store.getEnvironment(name);
    const patch = {
      error_message: transition.status === "failed" ? state.errorMessage : null,
      deployment_id: state.deploymentId,
      deployment_status_id: state.statusSeq,
      last_commit: ctx.commit ?? record.last_commit
    };
    if (transition.status === "destroyed") patch.outputs = {};
    store.recordStatus(
      name,
      transition.status,
      {
        description: transition.description,
        at: transition.at,
        deployment_id: state.deploymentId,
        deployment_status_id: state.statusSeq,
        delivery_id: ctx.deliveryId,
        run_url: ctx.runUrl ?? null
      },
      patch
    );
    log.info(
      { status: transition.status, previous: transition.previous, deployment: state.deploymentId },
      `Environment ${name}: ${transition.previous} \u2192 ${transition.status}`
    );
    if (transition.status === "failed" && event.kind === "run_end") {
      deps.metrics?.recordError(record.cloud, record.region);
    }
  }
  store.putSync(name, {
    source: state.source,
    source_at: state.at,
    run_id: state.runId,
    operation: state.operation
  });
  return { environment: name, changed: true, state, reportQueued };
}
function parkEvent(deps, name, repo, event, ctx) {
  const parked = {
    deliveryId: ctx.deliveryId,
    runUrl: ctx.runUrl ?? null,
    commit: ctx.commit ?? null,
    report: ctx.report ?? null
  };
  deps.store.parkOrphanEvent(name, repo, event, parked, deps.now().toISOString());
  ctx.log.info(
    { environment: name },
    `Environment ${name} is not declared yet; the ${event.kind} event waits until its file is indexed`
  );
}
function replayParked(deps, name, repo, log) {
  return deps.store.takeOrphanEvents(name, repo).map(({ event, context }) => {
    const parked = context;
    return applyLifecycleEvent(deps, name, event, {
      deliveryId: parked.deliveryId,
      log,
      runUrl: parked.runUrl,
      commit: parked.commit,
      report: parked.report ?? void 0
    });
  });
}

// src/app/services/reports.ts
var reportCheckName = (environment) => `beta9 / report / ${environment}`;
function parseReport(text, environment) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return "the report is not JSON";
  }
  const r = value;
  if (!r || typeof r !== "object" || r.version !== 1) return "the report is not a version 1 run report";
  if (r.environment !== environment)
    return `the report is for '${String(r.environment)}', not '${environment}'`;
  if (!["ready", "destroyed", "failed"].includes(String(r.status)))
    return `the report status '${String(r.status)}' is unknown`;
  return r;
}
async function fetchReport(gh, fetch) {
  const where = splitRepo(fetch.repo);
  const { data } = await gh.rest.checks.listForRef({
    ...where,
    ref: fetch.sha,
    check_name: reportCheckName(fetch.environment),
    filter: "all",
    per_page: 100
  });
  const runs = [...data.check_runs].sort((a, b) => b.id - a.id);
  let reason = `no check run '${reportCheckName(fetch.environment)}' on ${fetch.sha.slice(0, 7)} yet`;
  for (const run of runs) {
    const text = run.output?.text;
    if (!text) {
      reason = `check run ${run.id} has no report text`;
      continue;
    }
    const report = parseReport(text, fetch.environment);
    if (typeof report !== "string") return report;
    reason = `check run ${run.id}: ${report}`;
  }
  throw new Error(reason);
}
var ReportService = class {
  constructor(deps) {
    this.deps = deps;
  }
  deps;
  timer;
  running;
  again = false;
  /** Fetches every due report, one pass at a time; a call during a pass makes it look again. */
  processDue() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const pass = async () => {
      do {
        this.again = false;
        const due = this.deps.store.dueReportFetches(this.deps.now().toISOString());
        for (const fetch of due) await this.attempt(fetch);
      } while (this.again);
    };
    this.running = pass().finally(() => {
      this.running = void 0;
    });
    return this.running;
  }
  /** Starts the retry timer and retries what a previous process left behind. */
  start() {
    void this.processDue().catch((error) => this.deps.log.error({ err: error }, "Report retry pass failed"));
    this.timer = setInterval(() => {
      void this.processDue().catch(
        (error) => this.deps.log.error({ err: error }, "Report retry pass failed")
      );
    }, this.deps.settings.reportRetry.intervalMs);
    this.timer.unref();
  }
  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = void 0;
    await this.running?.catch(() => void 0);
  }
  /** One fetch: applies the report, or reschedules with backoff, or gives up after the last attempt. */
  async attempt(fetch) {
    const { store, log: baseLog, settings } = this.deps;
    const log = baseLog.child({ environment: fetch.environment, deployment: fetch.deployment_id });
    let report;
    try {
      const gh = await this.deps.auth(fetch.installation_id);
      report = await fetchReport(gh, fetch);
    } catch (error) {
      const attempts = fetch.attempts + 1;
      const message = error.message;
      const retry = settings.reportRetry;
      if (attempts >= retry.maxAttempts) {
        store.transaction(() => store.deleteReportFetch(fetch.environment, fetch.deployment_id));
        log.error(
          { attempts, err: message },
          `Gave up fetching the run report of ${fetch.environment} after ${attempts} attempts; its status is unaffected. Run 'beta9-provisioner reindex' to try again.`
        );
        return false;
      }
      const delay = Math.min(retry.baseDelayMs * 2 ** (attempts - 1), retry.maxDelayMs);
      const next = new Date(this.deps.now().getTime() + delay).toISOString();
      store.transaction(
        () => store.rescheduleReportFetch(fetch.environment, fetch.deployment_id, attempts, next, message)
      );
      log.warn(
        { attempts, next_attempt_at: next, err: message },
        `Run report of ${fetch.environment} not fetched; retrying later`
      );
      return false;
    }
    let observed;
    store.transaction(() => {
      store.deleteReportFetch(fetch.environment, fetch.deployment_id);
      const record = store.getEnvironment(fetch.environment);
      const reported = store.getSync(fetch.environment)?.report_deployment ?? null;
      if (!record || reported !== null && reported > fetch.deployment_id) {
        log.info("A newer deployment's report is already applied; not applying this one");
        return;
      }
      const drift = report.drift && (!record.drift || record.drift.checked_at < report.drift.checked_at) ? report.drift : record.drift;
      const current = record.deployment_id === fetch.deployment_id;
      store.putEnvironment({
        ...record,
        outputs: report.status === "destroyed" ? {} : sanitizeOutputs(report.outputs),
        last_counts: report.counts ?? record.last_counts,
        drift,
        error_message: current && record.status === "failed" && report.error ? [report.error.message, report.error.next_step].filter(Boolean).join(" ") : record.error_message,
        updated_at: this.deps.now().toISOString()
      });
      store.putSync(fetch.environment, { report_deployment: fetch.deployment_id });
      observed = { cloud: record.cloud, region: record.region };
    });
    if (observed) {
      this.deps.metrics?.observeRun(report, observed);
      log.info({ timings: report.timings }, `Run report of ${fetch.environment} applied`);
    }
    return true;
  }
};

// src/app/services/context.ts
function iso(value) {
  const date = typeof value === "number" ? new Date(value) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`'${String(value)}' is not a timestamp`);
  return date.toISOString();
}

// src/app/services/status.ts
import { basename } from "node:path";
function trustRun(run, repository, trusted, workflow) {
  if (!run) return "it does not come from a GitHub Actions workflow run";
  if (run.head_branch !== repository.default_branch) {
    return `it comes from a run on branch '${run.head_branch ?? "unknown"}', not the default branch '${repository.default_branch}'`;
  }
  const names = [run.name, run.path, workflow?.name, workflow?.path].filter((n) => typeof n === "string" && n.length > 0).flatMap((n) => [n, basename(n)]);
  if (!names.some((n) => trusted.includes(n))) {
    return `workflow '${run.name ?? run.path ?? "unknown"}' is not a trusted apply/destroy workflow (${trusted.join(", ")}); set TRUSTED_WORKFLOWS to change that`;
  }
  return void 0;
}
function beta9Payload(deployment) {
  let payload = deployment.payload;
  if (typeof payload === "string") {
    try {
      payload = JSON.parse(payload);
    } catch {
      return void 0;
    }
  }
  const beta9 = payload?.beta9;
  if (!beta9 || typeof beta9.environment !== "string") return void 0;
  if (beta9.operation !== "apply" && beta9.operation !== "destroy") return void 0;
  return { environment: beta9.environment, operation: beta9.operation };
}
var StatusService = class {
  constructor(deps) {
    this.deps = deps;
  }
  deps;
  /** `deployment.created`: the environment is queued (apply) or destroy_queued (destroy). */
  async deploymentCreated(delivery, input) {
    const target = this.target(delivery, input);
    if ("result" in target) return target;
    const event = {
      kind: "deployment",
      deploymentId: input.deployment.id,
      at: iso(input.deployment.created_at),
      operation: target.operation,
      runId: input.run?.id ?? null
    };
    return this.apply(delivery, target.environment, event, input, target.log);
  }
  /** `deployment_status.created`: the phase word at the start of the description moves the environment. */
  async deploymentStatusCreated(delivery, input) {
    const target = this.target(delivery, input);
    if ("result" in target) return target;
    const phase = parsePhase(input.status.state, input.status.description, target.operation);
    if (!phase) {
      const reason = `deployment status '${input.status.state}' says nothing about the environment`;
      target.log.info(`Ignoring deployment status: ${reason}`);
      return { result: "ignored", reason };
    }
    const event = {
      kind: "status",
      deploymentId: input.deployment.id,
      statusId: input.status.id,
      at: iso(input.status.created_at),
      operation: target.operation,
      phase: phase.phase,
      reason: phase.reason,
      runId: input.run?.id ?? null
    };
    return this.apply(delivery, target.environment, event, input, target.log);
  }
  /** `workflow_run.completed` without success: environments still waiting on that run failed. */
  async workflowRunCompleted(delivery, input) {
    const { run, repository } = input;
    const conclusion = run.conclusion ?? "unknown";
    if (!["cancelled", "timed_out", "failure", "startup_failure"].includes(conclusion)) {
      const reason = `run ${run.id} concluded '${conclusion}'; its deployment statuses say how it went`;
      delivery.log.debug(`Ignoring workflow run: ${reason}`);
      return { result: "ignored", reason };
    }
    const untrusted = trustRun(run, repository, this.deps.settings.trustedWorkflows, input.workflow);
    if (untrusted) {
      delivery.log.info({ run: run.id }, `Ignoring workflow run ${run.id}: ${untrusted}`);
      return { result: "ignored", reason: untrusted };
    }
    const { store } = this.deps;
    const at = iso(run.updated_at ?? this.deps.now());
    const applied = [];
    let duplicate = false;
    store.transaction(() => {
      if (!store.claimDelivery(delivery.id, delivery.event, this.deps.now().toISOString())) {
        duplicate = true;
        return;
      }
      store.recordRunEnd(run.id, repository.full_name, conclusion, at);
      for (const name of store.environmentsOfRun(run.id)) {
        const record = store.getEnvironment(name);
        if (!record || record.repo !== repository.full_name || !TRANSITIONAL.has(record.status)) continue;
        applied.push(
          applyLifecycleEvent(
            this.deps,
            name,
            { kind: "run_end", runId: run.id, at, conclusion },
            {
              deliveryId: delivery.id,
              log: delivery.log,
              runUrl: run.html_url ?? null
            }
          )
        );
      }
    });
    if (duplicate) return this.duplicate(delivery);
    return { result: "accepted", applied };
  }
  /**
   * `check_run.completed` named `beta9 / drift / <environment>`: the scheduled drift check's
   * report. Only GitHub Actions on the default branch is trusted; a check older than the one
   * already recorded changes nothing.
   */
  async driftChecked(delivery, input) {
    const name = input.checkRun.name.slice("beta9 / drift / ".length);
    const log = delivery.log.child({ environment: name });
    const ignore = (reason) => {
      log.info(`Ignoring drift check: ${reason}`);
      return { result: "ignored", reason };
    };
    if (input.checkRun.app?.slug !== "github-actions")
      return ignore("it was not published by GitHub Actions");
    if (input.headBranch !== input.repository.default_branch) {
      return ignore(`it ran on '${input.headBranch ?? "unknown"}', not the default branch`);
    }
    const report = parseReport(input.checkRun.output?.text ?? "", name);
    if (typeof report === "string") return ignore(report);
    if (!report.drift) return ignore("the report carries no drift result");
    const drift = { detected: report.drift.detected, checked_at: iso(report.drift.checked_at) };
    const { store } = this.deps;
    let outcome = { result: "ignored" };
    store.transaction(() => {
      if (!store.claimDelivery(delivery.id, delivery.event, this.deps.now().toISOString())) {
        outcome = { result: "duplicate" };
        return;
      }
      const record = store.getEnvironment(name);
      if (!record || record.repo !== input.repository.full_name) {
        outcome = ignore(`'${name}' is not an environment of ${input.repository.full_name}`);
        return;
      }
      if (record.drift && record.drift.checked_at >= drift.checked_at) {
        outcome = ignore(`a drift check from ${record.drift.checked_at} is already recorded`);
        return;
      }
      store.putEnvironment({ ...record, drift, updated_at: this.deps.now().toISOString() });
      log[drift.detected ? "warn" : "info"](
        { drift },
        drift.detected ? `Drift detected in ${name}: the cloud differs from the file` : `${name} is in sync`
      );
      outcome = { result: "accepted" };
    });
    if (outcome.result === "duplicate") return this.duplicate(delivery);
    return outcome;
  }
  /** Checks trust and the Beta9 payload, and finds (or indexes) the environment. */
  target(delivery, input) {
    const beta9 = beta9Payload(input.deployment);
    if (!beta9) {
      const reason = `deployment ${input.deployment.id} to '${input.deployment.environment}' is not a Beta9 deployment (no payload.beta9)`;
      delivery.log.info(`Ignoring: ${reason}`);
      return { result: "ignored", reason };
    }
    const log = delivery.log.child({ environment: beta9.environment });
    if (beta9.environment !== input.deployment.environment) {
      const reason = `payload.beta9.environment '${beta9.environment}' differs from the deployment environment '${input.deployment.environment}'`;
      log.warn(`Ignoring deployment ${input.deployment.id}: ${reason}`);
      return { result: "ignored", reason };
    }
    const untrusted = trustRun(
      input.run,
      input.repository,
      this.deps.settings.trustedWorkflows,
      input.workflow
    );
    if (untrusted) {
      log.warn(
        { deployment: input.deployment.id },
        `Ignoring untrusted status for ${beta9.environment}: ${untrusted}`
      );
      return { result: "ignored", reason: untrusted };
    }
    return { environment: beta9.environment, operation: beta9.operation, log };
  }
  async apply(delivery, name, event, input, log) {
    const { store } = this.deps;
    if (store.hasDelivery(delivery.id)) return this.duplicate(delivery);
    const repo = input.repository.full_name;
    const record = store.getEnvironment(name);
    const unknown = !record || record.repo !== repo && record.status === "destroyed";
    const fetched = unknown ? await this.fetchDeclaration(name, input, log) : void 0;
    let outcome = { result: "ignored" };
    store.transaction(() => {
      if (!store.claimDelivery(delivery.id, delivery.event, this.deps.now().toISOString())) {
        outcome = { result: "duplicate" };
        return;
      }
      const current = store.getEnvironment(name);
      if (current && current.repo !== repo && current.status !== "destroyed") {
        const reason = `'${name}' is declared by ${current.repo}, not ${repo}`;
        log.warn(`Ignoring deployment ${input.deployment.id}: ${reason}`);
        outcome = { result: "ignored", reason };
        return;
      }
      const replayed = [];
      if (fetched) {
        if (current && current.repo !== repo) store.purgeEnvironment(name);
        const existing = store.getEnvironment(name);
        store.putEnvironment(
          recordFromConfig({ repo, ...fetched, at: this.deps.now().toISOString() }, existing)
        );
        store.putSync(name, {
          installation_id: input.installationId,
          file_sha: fetched.sha,
          file_at: event.at
        });
        replayed.push(...replayParked(this.deps, name, repo, log));
      }
      const ctx = {
        deliveryId: delivery.id,
        log: delivery.log,
        runUrl: input.run?.html_url ?? null,
        commit: input.deployment.sha,
        report: { repo, sha: input.deployment.sha, installationId: input.installationId }
      };
      if (!store.getEnvironment(name)) {
        parkEvent(this.deps, name, repo, event, { ...ctx, log });
        outcome = { result: "accepted", reason: "parked until the environment is declared" };
        return;
      }
      const applied = applyLifecycleEvent(this.deps, name, event, ctx);
      outcome = { result: applied.changed ? "accepted" : "ignored", applied: [...replayed, applied] };
    });
    if (outcome.result === "duplicate") return this.duplicate(delivery);
    return outcome;
  }
  async fetchDeclaration(name, input, log) {
    try {
      const gh = await this.deps.auth(input.installationId);
      const where = splitRepo(input.repository.full_name);
      for (const path of [`environments/${name}.yaml`, `environments/${name}.yml`]) {
        if (!ENVIRONMENT_FILE.test(path)) continue;
        const file = await readFile(gh, where, path, input.deployment.sha);
        if (!file) continue;
        const { config, diagnostics } = this.deps.engine.parse(path, file.text);
        if (!config || diagnostics.length > 0) {
          log.warn(
            { problems: diagnostics.map(formatDiagnostic) },
            `${path} at the deployment's commit is invalid`
          );
          return void 0;
        }
        return {
          path,
          sha: file.sha,
          config,
          model: this.deps.engine.model(config),
          commit: input.deployment.sha
        };
      }
    } catch (error) {
      log.warn({ err: error.message }, `Could not read the declaration of ${name}`);
    }
    return void 0;
  }
  duplicate(delivery) {
    delivery.log.info("Delivery already applied; a redelivery changes nothing");
    return { result: "duplicate" };
  }
};

export {
  InvalidCursorError,
  IndexStore,
  STATUSES,
  createEngine,
  iso,
  CHECK_NAME,
  toAnnotations,
  renderIntentComment,
  renderCheckOutput,
  ENVIRONMENT_FILE,
  splitRepo,
  readFile,
  listEnvironmentFiles,
  listPullFiles,
  publishCheckRun,
  upsertStickyComment,
  parsePhase,
  recordFromConfig,
  applyLifecycleEvent,
  replayParked,
  ReportService,
  beta9Payload,
  StatusService
};

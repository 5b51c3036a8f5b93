/**
 * Versioned schema migrations, applied in order at start inside one transaction each.
 * Append only: never edit a migration that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
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
  `,
];

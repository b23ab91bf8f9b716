-- The connected studio: operations waiting to reach the marketplace (survive restarts), the link
-- between a local asset and its marketplace listing, and sync cursors.
CREATE TABLE outbox (
  id              TEXT PRIMARY KEY,          -- also the Idempotency-Key sent with every attempt
  kind            TEXT NOT NULL,             -- submit | pricing | offer
  asset_id        TEXT,                      -- the local asset
  payload         TEXT NOT NULL,             -- JSON
  state           TEXT NOT NULL DEFAULT 'pending', -- pending | done | failed | needs_action
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error      TEXT,
  result          TEXT,                      -- JSON: the server's answer (or what it needs)
  created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX outbox_state ON outbox(state, created_at);

CREATE TABLE remote_links (
  asset_id       TEXT PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,
  server         TEXT NOT NULL,              -- which marketplace ('local' or its URL)
  remote_id      TEXT NOT NULL,
  remote_version INTEGER,                    -- the newest version this studio knows of
  submitted_rev  INTEGER,                    -- the local revision last sent
  remote_status  TEXT,
  remote_json    TEXT,                       -- the listing as last pulled
  conflict       TEXT,                       -- JSON when changed here and on the marketplace
  updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX remote_links_remote ON remote_links(remote_id);

CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

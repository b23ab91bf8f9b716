-- The studio's workspace (owned by electron/main/services/studio.ts): revision history, state, trash.
CREATE TABLE revisions (
  id          INTEGER PRIMARY KEY,
  asset_id    TEXT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  rev         INTEGER NOT NULL,
  card_json   TEXT NOT NULL,
  image_sha256 TEXT,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (asset_id, rev)
);

CREATE TABLE asset_state (
  asset_id   TEXT PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,
  rev        INTEGER NOT NULL,
  status     TEXT,             -- last uniqueness status of the saved asset
  checked_at TEXT
);
-- Deleted assets, kept whole so a delete can be undone.
CREATE TABLE trash (
  asset_id   TEXT PRIMARY KEY,
  payload    TEXT NOT NULL,    -- JSON: card, image sha, revisions, creator
  deleted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

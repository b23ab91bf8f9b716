-- Unsaved editor drafts (owned by electron/main/services/drafts.ts): one per stored asset being
-- edited (id = the asset's id) and one per never-saved new asset (id = 'new_…'), kept until the
-- asset is saved or the draft is discarded, so typed work survives leaving the editor and crashes.
CREATE TABLE drafts (
  id           TEXT PRIMARY KEY,
  asset_id     TEXT,             -- the stored asset, NULL for a new asset's draft
  asset_type   TEXT NOT NULL,
  name         TEXT NOT NULL,
  card_json    TEXT NOT NULL,
  image_sha256 TEXT,
  base_rev     INTEGER,          -- the stored revision the edit started from
  updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX drafts_updated ON drafts(updated_at);

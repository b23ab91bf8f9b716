-- The engine's index: one row per indexed asset (its card and digests), fingerprints, analyses.
CREATE TABLE assets (
  rowid         INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  creator_id    TEXT NOT NULL,
  asset_type    TEXT NOT NULL,
  name          TEXT NOT NULL,
  card_json     TEXT NOT NULL,
  metadata_hash TEXT NOT NULL,
  image_sha256  TEXT,
  source        TEXT NOT NULL DEFAULT 'local', -- 'local' (this library) or 'marketplace' (index copy)
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (creator_id, metadata_hash)
);
CREATE INDEX assets_type ON assets(asset_type);
CREATE INDEX assets_metadata_hash ON assets(metadata_hash);

CREATE TABLE fingerprints (
  asset_rowid   INTEGER PRIMARY KEY REFERENCES assets(rowid) ON DELETE CASCADE,
  bytes_sha256  TEXT,
  pixels_sha256 TEXT,
  image_json    TEXT,     -- perceptual hashes and shape signatures (ImageFingerprint without the digests)
  text_minhash  BLOB NOT NULL,
  text_size     INTEGER NOT NULL,
  code_minhash  BLOB,
  code_size     INTEGER,
  engine_version INTEGER NOT NULL
);
CREATE INDEX fingerprints_bytes ON fingerprints(bytes_sha256);
CREATE INDEX fingerprints_pixels ON fingerprints(pixels_sha256);

CREATE TABLE similarity_analyses (
  id            INTEGER PRIMARY KEY,
  query_ref     TEXT NOT NULL,           -- asset id or file path that was checked
  asset_id      TEXT,                    -- the matched asset (NULL when nothing matched)
  status        TEXT NOT NULL,
  metadata_similarity REAL,
  visual_similarity   REAL,
  combined_similarity REAL,
  is_duplicate  INTEGER NOT NULL DEFAULT 0,
  is_plagiarism INTEGER NOT NULL DEFAULT 0,
  is_derivative INTEGER NOT NULL DEFAULT 0,
  flagged_differences TEXT,
  analysis_details    TEXT,
  analyzed_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX similarity_query ON similarity_analyses(query_ref);

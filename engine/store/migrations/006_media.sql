-- Media layer: one audio/video fingerprint per asset (engine/media/serialize.ts blob), its kind
-- ('audio' or 'video'), and what the probe learnt about the file plus its SHA-256 (JSON), used to
-- describe a match ("re-encoded", "the same file"). The in-memory MediaIndex is rebuilt from
-- these rows when the engine opens.
CREATE TABLE media_fingerprints (
  asset_rowid INTEGER PRIMARY KEY REFERENCES assets(rowid) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('audio', 'video')),
  data        BLOB NOT NULL,
  info_json   TEXT
);

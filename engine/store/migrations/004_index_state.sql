-- Persisted search structures, so a large library opens without rebuilding its indexes:
-- snapshots of the in-memory indexes, the assets changed since the last snapshot, and a write
-- generation that tells an engine whether another process wrote since it loaded.
CREATE TABLE engine_meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO engine_meta (key, value) VALUES ('generation', 0);

CREATE TABLE index_snapshots (
  name   TEXT PRIMARY KEY,   -- which index (phash, text_lsh, code_lsh, …)
  format INTEGER NOT NULL,   -- the snapshot format; another format is ignored and rebuilt
  data   BLOB NOT NULL
);

-- Assets indexed, re-indexed or removed since the snapshots were written (replayed on open).
CREATE TABLE index_journal (
  asset_rowid INTEGER PRIMARY KEY
);

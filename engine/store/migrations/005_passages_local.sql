-- Engine v2 layers that work on parts: passage fingerprints of each card's text (winnowed word
-- k-grams and word counts, engine/text/passage-codec.ts) and local image features (keypoints,
-- binary descriptors and visual words, engine/image/local/). One blob per asset; the search
-- structures over them are persisted in index_snapshots.
CREATE TABLE passage_fingerprints (
  asset_rowid INTEGER PRIMARY KEY REFERENCES assets(rowid) ON DELETE CASCADE,
  data        BLOB NOT NULL
);

CREATE TABLE local_features (
  asset_rowid INTEGER PRIMARY KEY REFERENCES assets(rowid) ON DELETE CASCADE,
  data        BLOB NOT NULL
);

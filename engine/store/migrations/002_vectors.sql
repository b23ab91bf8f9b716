-- Embeddings (sqlite-vec). rowid = assets.rowid.
CREATE VIRTUAL TABLE vec_clip_image USING vec0(embedding float[512] distance_metric=cosine);
CREATE VIRTUAL TABLE vec_clip_text USING vec0(embedding float[512] distance_metric=cosine);
CREATE VIRTUAL TABLE vec_bge_text USING vec0(embedding float[384] distance_metric=cosine);
CREATE TABLE vector_meta (
  asset_rowid INTEGER NOT NULL REFERENCES assets(rowid) ON DELETE CASCADE,
  space       TEXT NOT NULL,   -- 'clip_image' | 'clip_text' | 'bge_text'
  model_sha256 TEXT NOT NULL,  -- which weights produced it; vectors from other weights are not compared
  PRIMARY KEY (asset_rowid, space)
);

-- A video's keyframes (engine/media/serialize.ts serializeKeyframes: each keyframe's time,
-- keypoints, descriptors and visual words) apart from its compact fingerprint, as the marketplace
-- keeps them beside the index feed's: a query that verifies a video's keyframes reads and inflates
-- this alone, not the whole fingerprint. media_fingerprints.data then has no keyframes. Rows written
-- before this table keep their keyframes inside media_fingerprints.data, where they are still read.
CREATE TABLE media_keyframes (
  asset_rowid INTEGER PRIMARY KEY REFERENCES assets(rowid) ON DELETE CASCADE,
  data        BLOB NOT NULL
);

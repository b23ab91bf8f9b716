-- Audio and video submissions: the media file of a version, kept in the blob store by SHA-256
-- (its fingerprint travels in asset_versions.fingerprints, field "media").
ALTER TABLE asset_versions ADD COLUMN media_sha256 text;

-- requires-extension: vector
-- Embeddings for semantic search and analysis (pgvector). Skipped, and the semantic layers
-- reported unavailable, on a PostgreSQL without the extension; applied once it is installed.
CREATE EXTENSION IF NOT EXISTS vector;
ALTER TABLE asset_versions ADD COLUMN image_vector vector(512);
ALTER TABLE asset_versions ADD COLUMN metadata_vector vector(384);

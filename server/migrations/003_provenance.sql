-- Signed provenance records, one per published version (shared/provenance.ts).
CREATE TABLE provenance_records (
  asset_id    uuid NOT NULL REFERENCES assets(id),
  version     integer NOT NULL,
  record      jsonb NOT NULL,
  signature   text NOT NULL,
  record_hash text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (asset_id, version)
);

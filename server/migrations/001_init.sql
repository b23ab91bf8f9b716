-- Marketplace schema. Runs unchanged on PostgreSQL and on PGlite; the vector columns come in
-- 004_vectors.sql, applied where the pgvector extension is available.

CREATE TABLE users (
  id            uuid PRIMARY KEY,
  email         text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  password_hash text NOT NULL,
  roles         text[] NOT NULL DEFAULT ARRAY['buyer','creator'],
  creator_tier  boolean NOT NULL DEFAULT false,   -- the spec's "Creator tier", granted by an admin
  verified      boolean NOT NULL DEFAULT false,   -- "verified creator" badge, granted by an admin
  selling_banned boolean NOT NULL DEFAULT false,
  reputation    double precision NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,                  -- sha256 of the opaque bearer token
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE assets (
  id                uuid PRIMARY KEY,
  creator_id        uuid NOT NULL REFERENCES users(id),
  asset_type        text NOT NULL,
  name              text NOT NULL,
  status            text NOT NULL,   -- in_review | changes_requested | rejected | published | taken_down
  latest_version    integer NOT NULL,
  published_version integer,
  parent_asset_id   uuid REFERENCES assets(id),
  metadata_hash     text NOT NULL,
  price_cents       integer,
  sales_count       integer NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  published_at      timestamptz,
  UNIQUE (creator_id, metadata_hash)
);
CREATE INDEX assets_status ON assets(status);
CREATE INDEX assets_creator ON assets(creator_id);
CREATE INDEX assets_published_at ON assets(published_at DESC) WHERE published_version IS NOT NULL;

CREATE TABLE asset_versions (
  asset_id        uuid NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  version         integer NOT NULL,
  card            jsonb NOT NULL,
  metadata_text   text NOT NULL,
  metadata_hash   text NOT NULL,
  image_sha256    text,
  fingerprints    jsonb NOT NULL,            -- engine fingerprints (image views, MinHash, digests)
  search_tsv      tsvector GENERATED ALWAYS AS (to_tsvector('english', metadata_text)) STORED,
  vector_models   jsonb NOT NULL DEFAULT '{}',
  status          text NOT NULL,             -- in_review | changes_requested | rejected | published | superseded
  check_status    text NOT NULL,             -- the automated check's verdict
  submitted_at    timestamptz NOT NULL DEFAULT now(),
  decided_at      timestamptz,
  PRIMARY KEY (asset_id, version)
);
CREATE INDEX asset_versions_fts ON asset_versions USING gin (search_tsv);

CREATE TABLE similarity_analysis (
  id                  bigserial PRIMARY KEY,
  asset_id            uuid NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  version             integer NOT NULL,
  matched_asset_id    uuid REFERENCES assets(id),
  metadata_similarity double precision,
  visual_similarity   double precision,
  combined_similarity double precision,
  is_duplicate        boolean NOT NULL DEFAULT false,
  is_plagiarism       boolean NOT NULL DEFAULT false,
  is_derivative       boolean NOT NULL DEFAULT false,
  flagged_differences jsonb,
  analysis_details    jsonb,
  analyzed_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX similarity_asset ON similarity_analysis(asset_id, version);

CREATE TABLE asset_derivations (
  parent_asset_id      uuid NOT NULL REFERENCES assets(id),
  child_asset_id       uuid NOT NULL REFERENCES assets(id),
  royalty_basis_points integer NOT NULL,     -- 1000 = 10 %
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (parent_asset_id, child_asset_id)
);

CREATE TABLE review_items (
  id               bigserial PRIMARY KEY,
  asset_id         uuid NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  version          integer NOT NULL,
  kind             text NOT NULL,             -- submission | appeal
  priority         integer NOT NULL DEFAULT 0,-- higher first: flagged items
  flags            jsonb NOT NULL DEFAULT '[]',
  state            text NOT NULL DEFAULT 'open', -- open | decided
  claimed_by       uuid REFERENCES users(id),
  claim_expires_at timestamptz,
  excluded_moderator uuid REFERENCES users(id), -- appeals go to a different moderator
  decision         text,                      -- approved | rejected | changes_requested | upheld | overturned
  reason           text,
  decided_by       uuid REFERENCES users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  decided_at       timestamptz
);
CREATE INDEX review_items_open ON review_items(state, priority DESC, created_at);
CREATE UNIQUE INDEX review_items_one_open ON review_items(asset_id, version, kind) WHERE state = 'open';

CREATE TABLE notifications (
  id         bigserial PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind       text NOT NULL,
  payload    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at    timestamptz
);
CREATE INDEX notifications_user ON notifications(user_id, id DESC);

-- Append-only feed of changes to the published index (studio offline copy, API node catch-up).
CREATE TABLE index_events (
  seq        bigserial PRIMARY KEY,
  asset_id   uuid NOT NULL,
  version    integer,
  kind       text NOT NULL,                   -- upsert | tombstone
  created_at timestamptz NOT NULL DEFAULT now()
);

-- License offers per asset (terms and pricing come with the money issue; search filters on type).
CREATE TABLE license_offers (
  id           uuid PRIMARY KEY,
  asset_id     uuid NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  license_type text NOT NULL,   -- royalty_free | rights_managed | editorial | commercial | exclusive
  terms        jsonb NOT NULL DEFAULT '{}',
  price_cents  integer,
  active       boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX license_offers_asset ON license_offers(asset_id);

-- What a buyer holds: the exact version they bought (purchases and licenses insert rows here).
-- A buyer keeps access to that version even after an update, withdrawal or takedown, and can
-- also read the newest published version.
CREATE TABLE entitlements (
  user_id    uuid NOT NULL REFERENCES users(id),
  asset_id   uuid NOT NULL REFERENCES assets(id),
  version    integer NOT NULL,
  source     text NOT NULL,            -- purchase | license | grant
  ref        text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, asset_id, version)
);

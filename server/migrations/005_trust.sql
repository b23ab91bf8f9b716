-- Trust and safety: verified-purchase reviews, reports, and the history of each creator's reputation.
CREATE TABLE reviews (
  id         bigserial PRIMARY KEY,
  asset_id   uuid NOT NULL REFERENCES assets(id),
  user_id    uuid NOT NULL REFERENCES users(id),
  rating     integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
  body       text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (asset_id, user_id)
);

CREATE TABLE reports (
  id          bigserial PRIMARY KEY,
  asset_id    uuid NOT NULL REFERENCES assets(id),
  reporter_id uuid NOT NULL REFERENCES users(id),
  kind        text NOT NULL,            -- spam | misrepresentation | copyright | offensive
  details     text NOT NULL,
  state       text NOT NULL DEFAULT 'open', -- open | upheld | dismissed
  created_at  timestamptz NOT NULL DEFAULT now(),
  decided_at  timestamptz,
  decided_by  uuid REFERENCES users(id)
);
CREATE INDEX reports_asset ON reports(asset_id);

CREATE TABLE reputation_history (
  id         bigserial PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users(id),
  total      double precision NOT NULL,
  level      text NOT NULL,
  components jsonb NOT NULL,
  reason     text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reputation_history_user ON reputation_history(user_id, id DESC);

ALTER TABLE users ADD COLUMN strikes integer NOT NULL DEFAULT 0;

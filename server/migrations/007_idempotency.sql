-- Idempotency keys for POST requests (the studio's outbox retries with them): the first response
-- to (account, key) is stored and replayed for every retry; a retry while the first is still
-- running is told to wait.
CREATE TABLE idempotency_keys (
  user_id    uuid NOT NULL REFERENCES users(id),
  key        text NOT NULL,
  method     text NOT NULL,
  path       text NOT NULL,
  state      text NOT NULL,            -- running | done
  status     integer,
  body       jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

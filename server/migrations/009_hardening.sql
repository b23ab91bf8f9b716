-- One-time tokens that make the first admin (printed by the server at start while no admin exists),
-- and the provenance signing keys with their validity periods (old keys keep verifying old records).
CREATE TABLE bootstrap_tokens (
  token_hash text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE provenance_keys (
  key_id      text PRIMARY KEY,
  spki_base64 text NOT NULL,
  valid_from  timestamptz NOT NULL DEFAULT now(),
  valid_until timestamptz
);

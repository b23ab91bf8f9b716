-- Trust and safety: moderation cases (reports and automatic detections, queued for a human — never
-- acted on automatically), strikes with appeals, an append-only audit log of moderator actions,
-- imported fingerprint blocklists, and fixed-window rate-limit counters.
CREATE TABLE moderation_cases (
  id              bigserial PRIMARY KEY,
  asset_id        uuid REFERENCES assets(id),
  creator_id      uuid NOT NULL REFERENCES users(id),  -- whose conduct the case is about
  kind            text NOT NULL,            -- spam | misrepresentation | copyright | offensive
  source          text NOT NULL,            -- report | automatic
  state           text NOT NULL DEFAULT 'open', -- open | actioned | dismissed
  evidence        jsonb NOT NULL DEFAULT '[]',
  decision        text,                     -- takedown | dismiss
  reason          text,
  decided_by      uuid REFERENCES users(id),
  decided_at      timestamptz,
  appeal_state    text,                     -- pending | overturned | upheld
  appeal_reason   text,
  appeal_decided_by uuid REFERENCES users(id),
  appeal_decision_reason text,
  previous_status text,                     -- the listing's status before a takedown
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_cases_state ON moderation_cases(state, created_at);
CREATE INDEX moderation_cases_asset ON moderation_cases(asset_id);
CREATE INDEX moderation_cases_creator ON moderation_cases(creator_id);
ALTER TABLE reports ADD COLUMN case_id bigint REFERENCES moderation_cases(id);

CREATE TABLE strikes (
  id         bigserial PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users(id),
  case_id    bigint NOT NULL REFERENCES moderation_cases(id),
  asset_id   uuid REFERENCES assets(id),
  reason     text NOT NULL,
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  lifted_at  timestamptz
);
CREATE INDEX strikes_user ON strikes(user_id);

ALTER TABLE assets ADD COLUMN takedown_reason text;
-- CLIP text↔image agreement of a version (cosine), when both CLIP models ran at submission.
ALTER TABLE asset_versions ADD COLUMN clip_agreement double precision;
ALTER TABLE assets ADD COLUMN taken_down_at timestamptz;

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  actor_id    uuid REFERENCES users(id),
  actor_name  text,
  action      text NOT NULL,
  target_type text NOT NULL,
  target_id   text NOT NULL,
  reason      text,
  details     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created ON audit_log(created_at);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_append_only();

CREATE TABLE blocklist_entries (
  id           bigserial PRIMARY KEY,
  list         text NOT NULL,              -- the imported list's name (e.g. a rights holder)
  label        text NOT NULL,
  fingerprints jsonb NOT NULL,             -- the engine's fingerprints JSON (as in exported asset cards)
  added_by     uuid REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rate_limits (
  bucket       text NOT NULL,
  window_start timestamptz NOT NULL,
  count        integer NOT NULL,
  PRIMARY KEY (bucket, window_start)
);

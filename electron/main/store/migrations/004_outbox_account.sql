-- The account that queued each outbox operation: it is sent only while that account is signed in
-- (a studio shared by two accounts never sends one's submission under the other's name). Rows
-- queued before this migration have none and go with whoever is signed in, as before.
ALTER TABLE outbox ADD COLUMN account_id TEXT;
ALTER TABLE outbox ADD COLUMN account_name TEXT;

-- A new account's stored reputation is what the policy gives a creator with no inputs yet
-- (shared/policy/reputation.ts computeReputation: no ratings, sales or reports and a clean record —
-- the behaviour component's weight, 0.1), not 0: the Reputation screen computes it live and showed
-- 0.100 while the account, reading this column, showed 0.00 until a first event recomputed it.
-- Accounts never recomputed (no history row) take it too. tests/integration/trust.test.ts
-- checks this default against the policy, so the two cannot drift apart.
ALTER TABLE users ALTER COLUMN reputation SET DEFAULT 0.1;
UPDATE users SET reputation = 0.1
  WHERE reputation = 0 AND NOT EXISTS (SELECT 1 FROM reputation_history h WHERE h.user_id = users.id);

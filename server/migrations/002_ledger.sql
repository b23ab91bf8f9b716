-- Double-entry ledger in integer micro-dollars. Entries are append-only (a trigger refuses
-- UPDATE and DELETE); every transaction balances (a deferred constraint trigger checks the sum at
-- commit); balances are always derived from entries. Positive amounts are debits, negative credits.
CREATE TABLE ledger_accounts (
  id         text PRIMARY KEY,            -- e.g. creator:<uuid>, buyer_balance:<uuid>, platform:revenue
  kind       text NOT NULL,               -- creator | buyer_balance | platform_revenue | processor_clearing | processor_fees
  owner_id   uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ledger_transactions (
  id              bigserial PRIMARY KEY,
  kind            text NOT NULL,          -- sale | usage | top_up | refund | payout | correction
  ref             text,                   -- what it is about (purchase id, payout id…)
  idempotency_key text UNIQUE,            -- the same operation is never posted twice
  reverses        bigint REFERENCES ledger_transactions(id),
  memo            jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ledger_entries (
  id            bigserial PRIMARY KEY,
  tx_id         bigint NOT NULL REFERENCES ledger_transactions(id),
  account_id    text NOT NULL REFERENCES ledger_accounts(id),
  amount_micros bigint NOT NULL CHECK (amount_micros <> 0),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_entries_account ON ledger_entries(account_id, id);
CREATE INDEX ledger_entries_tx ON ledger_entries(tx_id);

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only: post a reversing transaction instead';
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE FUNCTION ledger_tx_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT sum(amount_micros) FROM ledger_entries WHERE tx_id = NEW.tx_id) <> 0 THEN
    RAISE EXCEPTION 'unbalanced ledger transaction %', NEW.tx_id;
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_tx_balanced();

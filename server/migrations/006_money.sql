-- Money: pricing on assets, license offers with immutable terms, purchases (one-time, license,
-- subscription, prepaid top-up) with license keys, per-use and license usage, Connect payouts,
-- processed webhook events, disputes. The ledger gains the columns its analytics need.
ALTER TABLE assets ADD COLUMN pricing_model text;             -- one_time | subscription | per_use
ALTER TABLE assets ADD COLUMN billing_interval text;          -- month | year (subscriptions)

ALTER TABLE users ADD COLUMN payout_account_id text;          -- the creator's Stripe Connect account

ALTER TABLE license_offers ADD COLUMN sold_out_at timestamptz; -- an exclusive license, once sold
ALTER TABLE license_offers ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE purchases (
  id                  uuid PRIMARY KEY,
  buyer_id            uuid NOT NULL REFERENCES users(id),
  asset_id            uuid REFERENCES assets(id),
  version             integer,
  kind                text NOT NULL,                 -- one_time | license | subscription | top_up
  offer_id            uuid REFERENCES license_offers(id),
  exclusive           boolean NOT NULL DEFAULT false,
  amount_cents        integer NOT NULL CHECK (amount_cents >= 0),
  status              text NOT NULL DEFAULT 'pending', -- pending | paid | refunded | expired | failed | unfulfilled
  checkout_session_id text UNIQUE,
  checkout_url        text,
  payment_intent_id   text,
  charge_id           text,
  subscription_id     text,
  license_key         text UNIQUE,
  license_terms       jsonb,                          -- the terms as bought (a copy: offers can change later)
  license_expires_at  timestamptz,
  impressions_used    bigint NOT NULL DEFAULT 0,
  company_name        text,
  reserved_until      timestamptz,                    -- how long a pending exclusive purchase holds the license
  refund_reason       text,
  refund_details      text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  paid_at             timestamptz,
  refunded_at         timestamptz
);
CREATE INDEX purchases_buyer ON purchases(buyer_id, created_at DESC);
CREATE INDEX purchases_asset ON purchases(asset_id, created_at DESC);
CREATE INDEX purchases_offer ON purchases(offer_id);
CREATE INDEX purchases_payment_intent ON purchases(payment_intent_id);
-- An exclusive license is held by at most one pending checkout or paid purchase, whatever the concurrency.
CREATE UNIQUE INDEX purchases_exclusive_once ON purchases(offer_id) WHERE exclusive AND status IN ('pending', 'paid');

-- Terms (type, terms, price) of an offer that anyone has bought never change: create a new offer instead.
CREATE FUNCTION license_terms_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.license_type, NEW.terms, NEW.price_cents) IS DISTINCT FROM (OLD.license_type, OLD.terms, OLD.price_cents)
     AND EXISTS (SELECT 1 FROM purchases WHERE offer_id = OLD.id AND status IN ('paid', 'refunded')) THEN
    RAISE EXCEPTION 'license terms are immutable once bought' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER license_offers_terms_immutable BEFORE UPDATE ON license_offers FOR EACH ROW EXECUTE FUNCTION license_terms_immutable();

CREATE TABLE subscriptions (
  id                 text PRIMARY KEY,               -- the processor's subscription id
  purchase_id        uuid NOT NULL REFERENCES purchases(id),
  buyer_id           uuid NOT NULL REFERENCES users(id),
  asset_id           uuid NOT NULL REFERENCES assets(id),
  interval           text NOT NULL,
  status             text NOT NULL,                  -- active | canceling | canceled
  current_period_end timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE usages (
  id            bigserial PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users(id),
  asset_id      uuid NOT NULL REFERENCES assets(id),
  purchase_id   uuid REFERENCES purchases(id),     -- for license usage
  kind          text NOT NULL,                     -- use | impression | download | embed
  count         integer NOT NULL CHECK (count > 0),
  amount_micros bigint NOT NULL,
  context       text,
  ledger_tx_id  bigint REFERENCES ledger_transactions(id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usages_purchase ON usages(purchase_id);
CREATE INDEX usages_asset ON usages(asset_id, created_at);

-- Transfers to creators' Connect accounts ("instant payout" after each sale, and on request).
CREATE TABLE payouts (
  id             uuid PRIMARY KEY,
  user_id        uuid NOT NULL REFERENCES users(id),
  amount_cents   integer NOT NULL CHECK (amount_cents > 0),
  reversed_cents integer NOT NULL DEFAULT 0,
  purchase_id    uuid REFERENCES purchases(id),     -- the sale that triggered it (its transfer group)
  transfer_group text,
  transfer_id    text,
  status         text NOT NULL DEFAULT 'pending',  -- pending | paid | failed
  error          text,
  ledger_tx_id   bigint REFERENCES ledger_transactions(id),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payouts_user ON payouts(user_id, created_at DESC);
CREATE INDEX payouts_purchase ON payouts(purchase_id);

-- Each processor event is handled once.
CREATE TABLE processor_events (
  id           text PRIMARY KEY,
  type         text NOT NULL,
  state        text NOT NULL,                     -- processing | done | failed
  error        text,
  received_at  timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);

CREATE TABLE disputes (
  id          bigserial PRIMARY KEY,
  purchase_id uuid NOT NULL REFERENCES purchases(id),
  opened_by   uuid REFERENCES users(id),          -- null when the card network opened it
  source      text NOT NULL,                      -- buyer | creator | processor
  reason      text NOT NULL,
  state       text NOT NULL DEFAULT 'open',       -- open | resolved
  outcome     text,                               -- refund | no_refund
  resolution  text,
  resolved_by uuid REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE INDEX disputes_purchase ON disputes(purchase_id);

-- Analytics columns on the ledger (set at posting, like every other column never updated).
ALTER TABLE ledger_transactions ADD COLUMN asset_id uuid;
ALTER TABLE ledger_transactions ADD COLUMN purchase_id uuid;
ALTER TABLE ledger_transactions ADD COLUMN buyer_id uuid;
ALTER TABLE ledger_transactions ADD COLUMN creator_id uuid;
CREATE INDEX ledger_transactions_creator ON ledger_transactions(creator_id, created_at);
CREATE INDEX ledger_transactions_purchase ON ledger_transactions(purchase_id);

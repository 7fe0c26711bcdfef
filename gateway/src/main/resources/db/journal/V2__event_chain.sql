-- The journal's event log: every transition of an issuance, in the order it was committed, each
-- chained to the one before by an HMAC (keyed with the cluster secret), so that an edited, deleted,
-- inserted or reordered event, or an issuance record that disagrees with its events, is found by
-- `kofu audit verify`. Appended in the same transaction as the change it records.
CREATE TABLE journal_event (
  -- 1, 2, 3, ... without gaps: appends serialize on journal_head, so seq is also commit order.
  seq          BIGINT                      PRIMARY KEY,
  issuance_id  CHAR(26)                    NOT NULL,
  -- ORDERED, CLAIMED, BINDING_CHECKED, BINDING_CHECK_FAILED, ISSUED, REFUSED, REPLAYED, DELIVERED, VOIDED
  kind         VARCHAR(24)                 NOT NULL,
  occurred_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  -- What the event says, as canonical JSON (sorted keys, no personal data).
  payload      VARCHAR(4000)               NOT NULL,
  prev_hash    CHAR(64)                    NOT NULL,
  -- HMAC-SHA256(chain key, prev_hash | seq | issuance_id | kind | occurred_at | payload), hex.
  hash         CHAR(64)                    NOT NULL
);
CREATE INDEX journal_event_issuance ON journal_event (issuance_id, seq);

-- The chain's head, one row. Every append locks it (SELECT ... FOR UPDATE) as the last thing its
-- transaction touches, which orders appends from every gateway of a cluster, on H2 and on
-- PostgreSQL alike, without holding the lock across anything slow.
CREATE TABLE journal_head (
  id    INT       PRIMARY KEY CHECK (id = 1),
  seq   BIGINT    NOT NULL,
  hash  CHAR(64)  NOT NULL
);
INSERT INTO journal_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Why a VOIDED issuance was voided: PRINT_FAILED (the copier said so), UNCONFIRMED (issued but
-- never confirmed within the timeout; reconciled and refunded), ABANDONED (ordered, never issued).
ALTER TABLE issuance ADD COLUMN void_reason VARCHAR(16);

-- Settlement reads one day's issuances.
CREATE INDEX issuance_issued_at ON issuance (issued_at);

-- The issuance journal: kofu's system of record, shared by every gateway of a cluster.
-- No personal data: cards appear only as a keyed hash, documents only as a digest (the PDF is
-- held in issuance_document until its delivery is settled, then deleted).

-- Challenges are single-use across the cluster: the first gateway to insert one wins.
CREATE TABLE challenge_use (
  challenge_id  CHAR(32)                 PRIMARY KEY,
  expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Sessions ended with CloseSession: refused on every gateway until they would have expired.
CREATE TABLE session_closed (
  session_id    CHAR(32)                 PRIMARY KEY,
  expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE issuance (
  issuance_id        CHAR(26)                 PRIMARY KEY,
  -- The copier's order id: the same order never makes two documents or two charges.
  order_id           VARCHAR(64)              NOT NULL UNIQUE,
  -- SHA-256 of the order's content (card, municipality, certificate request): a reused order id
  -- with other content is refused.
  order_digest       CHAR(64)                 NOT NULL,
  -- HMAC-SHA256 of the card's issuer key id and serial, under the journal's key.
  card_key           CHAR(64)                 NOT NULL,
  session_id         CHAR(32)                 NOT NULL,
  store_chain        VARCHAR(64)              NOT NULL,
  store              VARCHAR(64)              NOT NULL,
  terminal           VARCHAR(64)              NOT NULL,
  municipality_code  CHAR(6)                  NOT NULL,
  relation           VARCHAR(16)              NOT NULL,
  certificate_type   VARCHAR(32)              NOT NULL,
  copies             INT                      NOT NULL,
  -- ORDERED -> ISSUED -> DELIVERED, or -> VOIDED; REFUSED when the municipality said no.
  state              VARCHAR(12)              NOT NULL,
  -- The gateway attempt working on an ORDERED issuance; NULL when none is.
  attempt_id         CHAR(32),
  attempt_started_at TIMESTAMP WITH TIME ZONE,
  -- The true reason of a refusal (e.g. SUPPORT_MEASURE, which the copier only sees as NOT_ISSUABLE).
  refusal_reason     VARCHAR(40),
  fee_per_copy_yen   INT,
  fee_yen            INT,
  refunded_yen       INT,
  document_sha256    CHAR(64),
  binding            CHAR(64)                 NOT NULL,
  page_count         INT,
  byte_size          INT,
  verification_code  VARCHAR(32),
  print_failure      VARCHAR(32),
  ordered_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  issued_at          TIMESTAMP WITH TIME ZONE,
  settled_at         TIMESTAMP WITH TIME ZONE
);
CREATE INDEX issuance_state ON issuance (state, issued_at);
CREATE INDEX issuance_card ON issuance (card_key);

-- The signed PDF of an ISSUED issuance, so that a retried order gets the very same document.
-- Deleted when the delivery is settled (DELIVERED or VOIDED).
CREATE TABLE issuance_document (
  issuance_id  CHAR(26)  PRIMARY KEY REFERENCES issuance (issuance_id),
  pdf          BYTEA     NOT NULL
);

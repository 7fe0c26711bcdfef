-- The embedded resident registry (住民基本台帳 as an issuance server sees it), for every
-- municipality this issuer serves. Runs on H2 (PostgreSQL mode) and PostgreSQL.

CREATE TABLE household (
  id                BIGINT       PRIMARY KEY,
  municipality_code CHAR(6)      NOT NULL,
  postal_code       CHAR(7),
  -- The address as printed, below the municipality: 丸の内一丁目1番1号
  address           VARCHAR(200) NOT NULL
);
CREATE INDEX household_municipality ON household (municipality_code);

CREATE TABLE resident (
  id                         BIGINT       PRIMARY KEY,
  -- Opaque, random, stable: what the gateway knows this resident by. Never a resident code.
  handle                     VARCHAR(32)  NOT NULL UNIQUE,
  municipality_code          CHAR(6)      NOT NULL,
  household_id               BIGINT       NOT NULL REFERENCES household (id),
  household_order            INT          NOT NULL,
  family_name                VARCHAR(40)  NOT NULL,
  given_name                 VARCHAR(40)  NOT NULL,
  family_name_kana           VARCHAR(80)  NOT NULL,
  given_name_kana            VARCHAR(80)  NOT NULL,
  birth_date                 DATE         NOT NULL,
  sex                        CHAR(1)      NOT NULL CHECK (sex IN ('M', 'F')),
  -- 続柄 to the head of household: 世帯主, 妻, 夫, 子, 父, 母, ...
  relationship               VARCHAR(20)  NOT NULL,
  became_resident_on         DATE         NOT NULL,
  address_since              DATE         NOT NULL,
  previous_address           VARCHAR(200),
  domicile                   VARCHAR(200),
  domicile_head              VARCHAR(80),
  domicile_municipality_code CHAR(6),
  -- 住民票コード: kept, never printed.
  resident_code              CHAR(11)     NOT NULL UNIQUE,
  my_number                  CHAR(12),
  nationality                VARCHAR(60),
  residence_status           VARCHAR(80),
  residence_card_number      VARCHAR(12),
  -- ACTIVE, MOVE_OUT_FILED, MOVED_OUT, DECEASED
  status                     VARCHAR(20)  NOT NULL DEFAULT 'ACTIVE',
  -- The day a move-in was recorded: no certificates on that day.
  moved_in_on                DATE,
  -- A DV or stalking support measure (支援措置): never issued at a store.
  support_measure            BOOLEAN      NOT NULL DEFAULT FALSE,
  -- A non-standard character (外字) of the name or address is being registered.
  gaiji_pending              BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX resident_household ON resident (household_id, household_order);
CREATE INDEX resident_municipality ON resident (municipality_code);

-- User-certification certificates (and smartphone credentials) known to this issuer: the card
-- serial -> resident mapping lives here, on the municipality's side, as in the real service.
CREATE TABLE card (
  issuer_key_id     CHAR(64)     NOT NULL,
  serial            VARCHAR(40)  NOT NULL,
  credential_kind   VARCHAR(12)  NOT NULL CHECK (credential_kind IN ('CARD', 'SMARTPHONE')),
  resident_id       BIGINT       NOT NULL REFERENCES resident (id),
  -- Cards work from the day after issuance, a move-in or a PIN change (a nightly batch).
  usable_from       DATE         NOT NULL,
  PRIMARY KEY (issuer_key_id, serial)
);
CREATE INDEX card_resident ON card (resident_id);

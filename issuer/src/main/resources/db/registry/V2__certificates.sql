-- What the other certificate types are made from: seal registrations, family registers with
-- their annexes (附票), tax records, and 利用登録 (use registrations at the 本籍地).
-- Runs on H2 (PostgreSQL mode) and PostgreSQL.

-- 印鑑登録: a registered seal impression. A registration is never deleted: it is cancelled
-- (廃止), and a cancelled registration must never be certified.
CREATE TABLE seal_registration (
  municipality_code   CHAR(6)       NOT NULL,
  -- 登録番号: the number of the registration card (印鑑登録証), unique within the municipality.
  registration_number VARCHAR(20)   NOT NULL,
  resident_id         BIGINT        NOT NULL REFERENCES resident (id),
  registered_on       DATE          NOT NULL,
  cancelled_on        DATE,
  -- The registered impression (印影), a PNG, and its true size for printing.
  impression_png      BYTEA         NOT NULL,
  impression_size_mm  DECIMAL(4, 1) NOT NULL CHECK (impression_size_mm BETWEEN 8 AND 25),
  PRIMARY KEY (municipality_code, registration_number)
);
CREATE INDEX seal_registration_resident ON seal_registration (resident_id);

-- 戸籍: kept by the 本籍地 municipality.
CREATE TABLE family_register (
  id                BIGINT       PRIMARY KEY,
  -- The 本籍地 that keeps the register.
  municipality_code CHAR(6)      NOT NULL,
  -- 本籍 as printed, with the prefecture: 東京都千代田区千代田一丁目1番
  domicile          VARCHAR(200) NOT NULL,
  -- 氏 of the register and the 筆頭者's 氏名.
  family_name       VARCHAR(40)  NOT NULL,
  head_name         VARCHAR(80)  NOT NULL,
  -- A notice (届出) was accepted but is not yet recorded in the register: no certificate may be
  -- issued from it until it is (戸籍法 第48条 certificates must show the register as it stands).
  notice_pending    BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX family_register_municipality ON family_register (municipality_code);

-- A person 「戸籍に記録されている者」, in register order. Removed persons (除籍) stay.
CREATE TABLE family_register_member (
  id              BIGINT       PRIMARY KEY,
  register_id     BIGINT       NOT NULL REFERENCES family_register (id),
  member_order    INT          NOT NULL,
  -- Opaque, random: what the 本籍地 knows this person by at the gateway (利用登録 issuance).
  handle          VARCHAR(32)  NOT NULL UNIQUE,
  -- The resident record, when the person lives in a municipality of this registry.
  resident_id     BIGINT       REFERENCES resident (id),
  given_name      VARCHAR(40)  NOT NULL,
  birth_date      DATE         NOT NULL,
  sex             CHAR(1)      NOT NULL CHECK (sex IN ('M', 'F')),
  -- 【配偶者区分】 夫 or 妻; NULL when not married.
  spouse_role     VARCHAR(4),
  father          VARCHAR(80),
  mother          VARCHAR(80),
  -- 【続柄】 to the parents: 長男, 二女, ...
  relationship    VARCHAR(10)  NOT NULL,
  -- 除籍: left the register (marriage into another, death, ...).
  removed         BOOLEAN      NOT NULL DEFAULT FALSE,
  -- A DV or stalking support measure (支援措置) recorded at the 本籍地: its 附票 is never issued.
  support_measure BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX family_register_member_register ON family_register_member (register_id, member_order);
CREATE INDEX family_register_member_resident ON family_register_member (resident_id);

-- 戸籍事項 (member_id NULL: events of the register, e.g. 戸籍編製) and 身分事項 (出生, 婚姻, 死亡, ...).
CREATE TABLE family_register_event (
  id          BIGINT      PRIMARY KEY,
  register_id BIGINT      NOT NULL REFERENCES family_register (id),
  member_id   BIGINT      REFERENCES family_register_member (id),
  seq         INT         NOT NULL,
  kind        VARCHAR(20) NOT NULL
);
CREATE INDEX family_register_event_register ON family_register_event (register_id, seq);

-- The bracketed items of an event: 【出生日】 (a date) or 【出生地】 (a text).
CREATE TABLE family_register_event_item (
  event_id   BIGINT       NOT NULL REFERENCES family_register_event (id),
  seq        INT          NOT NULL,
  label      VARCHAR(20)  NOT NULL,
  text_value VARCHAR(200),
  date_value DATE,
  PRIMARY KEY (event_id, seq),
  CHECK ((text_value IS NULL) <> (date_value IS NULL))
);

-- 戸籍の附票: each member's addresses and the days they were set, oldest first.
CREATE TABLE family_register_annex (
  member_id BIGINT       NOT NULL REFERENCES family_register_member (id),
  seq       INT          NOT NULL,
  address   VARCHAR(200) NOT NULL,
  since     DATE         NOT NULL,
  PRIMARY KEY (member_id, seq)
);

-- 個人住民税 as assessed for one 年度 (levied by the municipality of the 1 January address).
-- filed = FALSE records that the resident filed nothing for that year (未申告): no income/tax
-- certificate exists for it. No row means the same.
CREATE TABLE tax_record (
  resident_id              BIGINT       NOT NULL REFERENCES resident (id),
  fiscal_year              INT          NOT NULL,
  filed                    BOOLEAN      NOT NULL,
  -- 住所 on the 賦課期日 (1 January of the 年度).
  address                  VARCHAR(200),
  salary_revenue           BIGINT,
  salary_income            BIGINT,
  spouse_deduction         BOOLEAN,
  dependents               INT,
  municipal_income_levy    BIGINT,
  municipal_per_capita     BIGINT,
  prefectural_income_levy  BIGINT,
  prefectural_per_capita   BIGINT,
  forest_environment_tax   BIGINT,
  PRIMARY KEY (resident_id, fiscal_year)
);

-- Other incomes (公的年金等所得, 事業所得, ...) and the deductions (所得控除) of a tax record.
CREATE TABLE tax_record_amount (
  resident_id BIGINT      NOT NULL,
  fiscal_year INT         NOT NULL,
  kind        VARCHAR(10) NOT NULL CHECK (kind IN ('INCOME', 'DEDUCTION')),
  seq         INT         NOT NULL,
  label       VARCHAR(40) NOT NULL,
  yen         BIGINT      NOT NULL CHECK (yen >= 0),
  PRIMARY KEY (resident_id, fiscal_year, kind, seq),
  FOREIGN KEY (resident_id, fiscal_year) REFERENCES tax_record (resident_id, fiscal_year)
);

-- 利用登録: a card registered with the 本籍地 for family-register certificates at stores, when
-- the 本籍地 is not the address municipality. Effective 5 business days after filing (computed
-- by kofu's calendar, not stored, so that a corrected holiday rule corrects every date).
CREATE TABLE use_registration (
  municipality_code CHAR(6)     NOT NULL,
  issuer_key_id     CHAR(64)    NOT NULL,
  serial            VARCHAR(40) NOT NULL,
  member_id         BIGINT      NOT NULL REFERENCES family_register_member (id),
  filed_on          DATE        NOT NULL,
  cancelled_on      DATE,
  PRIMARY KEY (municipality_code, issuer_key_id, serial)
);
CREATE INDEX use_registration_member ON use_registration (member_id);

-- Verification codes are looked up by anyone (kofu.verify.v1): one document per code, found by
-- index. NULLs (documents without a code, refusals) do not collide, on H2 as on PostgreSQL.
CREATE UNIQUE INDEX issuance_verification_code ON issuance (verification_code);

-- Every index on issuance is a B-tree that each issuance's transactions change (an entry, its undo
-- record, its pages written at the next commit). Two served no query:
-- * issuance_card: nothing looks an issuance up by its card (the lockout has card_auth_failure,
--   and a confirmation checks the card on the row it found by id). Its keys are keyed hashes, so
--   every insert touched a different leaf.
-- * issuance_issued_at: settlement reads a day per state through issuance_state (state,
--   issued_at), the index the reconciler needs anyway; issued_at alone changed twice per issuance
--   (NULL on ORDERED, the time on ISSUED).
-- What is left: the primary key, order_id (exactly-once across the cluster), verification_code
-- (one document per code, looked up by anyone) and issuance_state (reconciler, settlement).
DROP INDEX issuance_card;
DROP INDEX issuance_issued_at;

-- Failed authentications per card, shared by every gateway of the cluster, so that a card is
-- locked out everywhere after repeated failures, not once per gateway. The card appears only as
-- its keyed hash (the same card_key as in issuance).
CREATE TABLE card_auth_failure (
  card_key      CHAR(64)                 PRIMARY KEY,
  -- Failures since window_start; a failure after the window starts a new one.
  failures      INT                      NOT NULL,
  window_start  TIMESTAMP WITH TIME ZONE NOT NULL,
  -- Set when failures reached the limit: refused until then.
  locked_until  TIMESTAMP WITH TIME ZONE
);

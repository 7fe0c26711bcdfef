-- PostgreSQL: the group commit's batches commit without waiting for the WAL flush (so that the
-- chain head is not held through it and the next batch can commit meanwhile), and a durable
-- transition then waits for a flush barrier: one write committed synchronously, whose commit
-- flushes the WAL up to it, and so every batch committed before it. A commit that wrote nothing
-- flushes nothing, hence this table: one row per appender (a gateway's journal), bumped by each
-- barrier, so that the barriers of several gateways never wait on one row lock. H2 syncs with
-- CHECKPOINT SYNC and never writes here.
CREATE TABLE journal_flush (
  id  CHAR(32)  PRIMARY KEY,
  n   BIGINT    NOT NULL
);

package jp.kofu.gateway.journal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import jp.kofu.storage.Database;

/**
 * The journal's single appender: every chained transition of this gateway goes through it, and it
 * commits them in batches — many issuances in one transaction, one lock of the chain head, one
 * commit, one sync (H2: an fsync; PostgreSQL: a WAL flush) — and acknowledges each only once its batch is on disk
 * (when the transition must be durable).
 *
 * <p>There is no appender thread to start or stop: the first caller that finds no batch running
 * becomes the appender (leader), takes every transition queued so far, and runs them as one batch
 * on its own thread; callers arriving meanwhile queue and wait, and the next leader takes them all
 * together. A batch that fails (a race lost to another gateway, a deadlock) is run again one
 * transition at a time, so that one transition's failure is never another's.
 *
 * <p>Durable means: a durable transition waits, after its batch committed, for a sync that started
 * after that, and every sync covers every batch committed before it. On PostgreSQL the batches
 * commit with {@code synchronous_commit} off (the commit returns, and releases the chain head,
 * before the WAL flush), and the sync is a flush barrier: one small write committed synchronously,
 * whose commit returns once the WAL is on disk up to it, and so past every batch before it (the
 * WAL is written and flushed in order). On H2 (whose commits stay in memory, {@link
 * JournalDatabases#H2_DURABLE}) the sync is a {@code CHECKPOINT SYNC}: it writes everything
 * committed so far as one chunk and fsyncs the file, so it also covers everything committed on
 * other connections (a document staged before its ISSUED transition). The first waiter that finds
 * no sync running runs it; the appender meanwhile commits the next batch, which the next sync
 * covers: the disk's latency and the batch's work overlap instead of adding up.
 */
final class GroupCommit {
  /** One transition: its row work, and the events it chains (appended by the batch). */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c, List<JournalChain.Event> events) throws SQLException;
  }

  /** Transitions per batch at most: a batch is one transaction, and holds the head while it commits. */
  static final int MAX_BATCH = 128;

  /** Transitions that lost a race for a lock are retried this many times in all. */
  private static final int MAX_TRIES = 5;

  private final Database db;
  private final JournalChain chain;
  /** Durable transitions wait, after their batch committed, for a sync (H2 file, PostgreSQL). */
  private final boolean deferredSync;
  private final boolean postgres;
  /**
   * PostgreSQL: rows of {@code journal_flush} there are at most; each appender bumps one of them,
   * drawn at random when it starts. A row per start (as before) grew the table by one row on every
   * gateway start, forever; a fixed set bounds it without any clean-up. Two gateways that draw the
   * same row only queue their barriers on its lock (1 in 64 for two gateways), and a barrier waits
   * for the WAL flush anyway.
   */
  static final int FLUSH_ROWS = 64;

  /** PostgreSQL: this appender's row of {@code journal_flush}, the write whose synchronous commit flushes the WAL. */
  private final String flushSql =
      "SET synchronous_commit TO ON; INSERT INTO journal_flush (id, n) VALUES ('"
          + flushRowId(java.util.concurrent.ThreadLocalRandom.current().nextInt(FLUSH_ROWS))
          + "', 1) ON CONFLICT (id) DO UPDATE SET n = journal_flush.n + 1";

  /** The id of flush row {@code slot}: 32 characters, as the column is. */
  static String flushRowId(int slot) {
    return String.format(java.util.Locale.ROOT, "%032d", slot);
  }
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
  private boolean appending;
  /** H2: batches committed so far (numbered in commit order), and how many of them a sync covers. */
  private long committed;
  private long synced;
  private boolean syncing;
  private final AtomicLong syncs = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong transitions = new AtomicLong();

  GroupCommit(Database db, JournalChain chain) {
    this.db = db;
    this.chain = chain;
    this.postgres = db.dialect() == Database.Dialect.POSTGRESQL;
    this.deferredSync = postgres || !inMemory(db);
  }

  private static final class Pending<T> {
    final Work<T> work;
    final boolean durable;
    T result;
    Throwable failure;
    boolean done;
    /** The number of the batch that committed it (H2: the sync that covers it covers this number). */
    long batch;

    Pending(Work<T> work, boolean durable) {
      this.work = work;
      this.durable = durable;
    }
  }

  /**
   * Runs {@code work} in a batch, and returns its result once the batch is committed — and on disk
   * if {@code durable}.
   */
  <T> T run(Work<T> work, boolean durable) throws SQLException {
    Pending<T> mine = new Pending<>(work, durable);
    lock.lock();
    try {
      queue.add(mine);
      while (!mine.done) {
        if (appending) {
          changed.awaitUninterruptibly();
          continue;
        }
        appending = true;
        List<Pending<?>> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
        while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
          batch.add(queue.poll());
        }
        lock.unlock();
        try {
          execute(batch);
        } finally {
          lock.lock();
          // Results are published under the lock that the waiters read them under. Numbered
          // after the whole batch committed: a sync started later covers all of it.
          long number = ++committed;
          for (Pending<?> p : batch) {
            p.batch = number;
            p.done = true;
          }
          appending = false;
          changed.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
    if (mine.failure == null && mine.durable && deferredSync) {
      awaitSynced(mine.batch);
    }
    if (mine.failure instanceof SQLException e) {
      throw e;
    }
    if (mine.failure instanceof RuntimeException e) {
      throw e;
    }
    if (mine.failure instanceof Error e) {
      throw e;
    }
    return mine.result;
  }

  /** Runs a batch: every transition of it ends with its result or its failure. */
  private void execute(List<Pending<?>> batch) {
    try {
      commit(batch);
      return;
    } catch (SQLException | RuntimeException e) {
      if (batch.size() == 1) {
        retryAlone(batch.get(0), e);
        return;
      }
    } catch (Error e) {
      fail(batch, e);
      throw e;
    }
    // One transition failed the batch: each on its own, so that only that one fails.
    for (Pending<?> p : batch) {
      try {
        commit(List.of(p));
      } catch (SQLException | RuntimeException e) {
        retryAlone(p, e);
      }
    }
  }

  private void retryAlone(Pending<?> p, Exception first) {
    Exception last = first;
    for (int attempt = 2; attempt <= MAX_TRIES && last instanceof SQLException e && retryable(e); attempt++) {
      try {
        commit(List.of(p));
        return;
      } catch (SQLException | RuntimeException e2) {
        last = e2;
      }
    }
    p.failure = last;
  }

  private static void fail(List<Pending<?>> batch, Throwable e) {
    for (Pending<?> p : batch) {
      p.failure = e;
    }
  }

  private void commit(List<Pending<?>> batch) throws SQLException {
    List<JournalChain.Event> events = new ArrayList<>();
    db.inTransaction(
        c -> {
          // Never waits for the WAL flush in the commit: the batch's locks (the chain head) are
          // released at once, and its durable transitions wait for the flush barrier (sync()).
          if (postgres) {
            try (Statement s = c.createStatement()) {
              s.execute("SET LOCAL synchronous_commit TO OFF");
            }
          }
          for (Pending<?> p : batch) {
            p.failure = null;
            run(p, c, events);
          }
          if (!events.isEmpty()) {
            chain.appendAll(c, events);
          }
          return null;
        });
    batches.incrementAndGet();
    transitions.addAndGet(batch.size());
  }

  /**
   * Returns once a sync that started after batch {@code number} committed has ended: the first
   * caller that finds none running runs one, covering every batch committed so far, while the
   * appender commits the next batch; callers arriving meanwhile wait for the next sync.
   */
  private void awaitSynced(long number) throws SQLException {
    lock.lock();
    try {
      while (synced < number) {
        if (syncing) {
          changed.awaitUninterruptibly();
          continue;
        }
        syncing = true;
        long covered = committed;
        boolean ok = false;
        lock.unlock();
        try {
          sync();
          ok = true;
        } finally {
          lock.lock();
          syncing = false;
          if (ok) {
            synced = Math.max(synced, covered);
          }
          changed.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private static <T> void run(Pending<T> p, Connection c, List<JournalChain.Event> events) throws SQLException {
    p.result = p.work.run(c, events);
  }

  /**
   * Makes everything committed so far durable. H2: {@code CHECKPOINT SYNC} (store everything
   * committed as one chunk, fsync the file). PostgreSQL: one write committed synchronously (the
   * server's {@code synchronous_commit}, on): its commit returns once the WAL is flushed up to its
   * commit record, which is after the commit record of every batch committed before it started
   * (the WAL is written and flushed in order). A transaction that writes nothing has no commit
   * record to flush, hence a row of {@code journal_flush}, one per appender, so that the barriers
   * of several gateways do not queue on one row lock.
   */
  private void sync() throws SQLException {
    try (Connection c = db.connection()) {
      if (postgres) {
        // One round trip: both statements are sent before the one Sync. The SET makes the
        // barrier synchronous whatever the server's default (the batches turn it off locally).
        try (Statement s = c.createStatement()) {
          s.execute(flushSql);
        }
      } else {
        try (Statement s = c.createStatement()) {
          s.execute("CHECKPOINT SYNC");
        }
      }
    }
    syncs.incrementAndGet();
  }

  private static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    // 40001 serialization failure (H2's deadlock too), 40P01 PostgreSQL's deadlock, HYT00 H2's
    // lock timeout.
    return JournalChain.SERIALIZATION_FAILURE.equals(state) || "40P01".equals(state) || "HYT00".equals(state);
  }

  /** How many syncs this appender ran: H2's forced file syncs, PostgreSQL's flush barriers. */
  long syncs() {
    return syncs.get();
  }

  /** Batches committed, and the transitions in them: divided, how many issuances share a commit. */
  long batches() {
    return batches.get();
  }

  long transitions() {
    return transitions.get();
  }

  private static boolean inMemory(Database db) {
    try (Connection c = db.connection()) {
      return c.getMetaData().getURL().startsWith("jdbc:h2:mem:");
    } catch (SQLException e) {
      throw jp.kofu.gateway.error.JournalUnavailable.of(e);
    }
  }
}

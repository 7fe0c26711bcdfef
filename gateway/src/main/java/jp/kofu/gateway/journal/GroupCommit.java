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
 * commit, and on the embedded H2 one fsync — and acknowledges each only once its batch is on disk
 * (when the transition must be durable).
 *
 * <p>There is no appender thread to start or stop: the first caller that finds no batch running
 * becomes the appender (leader), takes every transition queued so far, and runs them as one batch
 * on its own thread; callers arriving meanwhile queue and wait, and the next leader takes them all
 * together. A batch that fails (a race lost to another gateway, a deadlock) is run again one
 * transition at a time, so that one transition's failure is never another's.
 *
 * <p>Durable means: on PostgreSQL the batch commits with {@code synchronous_commit} on (the
 * server's default; the WAL is flushed before the commit returns, once for the whole batch); a
 * batch of transitions nobody waits to be durable for (an order journaled, a claim) commits with
 * it off and the next synchronous commit flushes it too, the WAL being written in order. On H2
 * (whose commits stay in memory, {@link JournalDatabases#H2_DURABLE}) a durable transition waits,
 * after its batch committed, for a {@code CHECKPOINT SYNC} that started after that: it writes
 * everything committed so far as one chunk and fsyncs the file, so it covers every batch committed
 * before it and everything committed on other connections (a document staged before its ISSUED
 * transition). The first waiter that finds no sync running runs it; the appender meanwhile
 * commits the next batch, which the next sync covers: the disk's latency and the batch's work
 * overlap instead of adding up.
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
  private final boolean fsync;
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
    this.fsync = db.dialect() == Database.Dialect.H2 && !inMemory(db);
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
    if (mine.failure == null && mine.durable && fsync) {
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
    boolean durable = batch.stream().anyMatch(p -> p.durable);
    List<JournalChain.Event> events = new ArrayList<>();
    db.inTransaction(
        c -> {
          if (!durable && db.dialect() == Database.Dialect.POSTGRESQL) {
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

  private void sync() throws SQLException {
    try (Connection c = db.connection(); Statement s = c.createStatement()) {
      s.execute("CHECKPOINT SYNC");
    }
    syncs.incrementAndGet();
  }

  private static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    // 40001 serialization failure (H2's deadlock too), 40P01 PostgreSQL's deadlock, HYT00 H2's
    // lock timeout.
    return JournalChain.SERIALIZATION_FAILURE.equals(state) || "40P01".equals(state) || "HYT00".equals(state);
  }

  /** How many times this appender forced the embedded database's file to disk. */
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

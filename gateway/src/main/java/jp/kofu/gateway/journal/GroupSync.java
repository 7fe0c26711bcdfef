package jp.kofu.gateway.journal;

import jp.kofu.gateway.error.JournalUnavailable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import jp.kofu.storage.Database;

/**
 * Makes committed journal transactions durable before anyone is told of them, many at a time.
 *
 * <p>H2's MVStore writes a commit to its file but never calls fsync for it (not even with
 * {@code WRITE_DELAY=0}): the page cache holds it, so it survives {@code kill -9} but not a power
 * cut. {@code CHECKPOINT SYNC} writes what is not yet written and forces the file to disk. A
 * transaction that must be durable calls {@link #awaitDurable} after its commit: the first caller
 * to find no sync running becomes the syncer and syncs for every commit made before it started;
 * the callers that arrive meanwhile wait, and the next syncer covers all of them at once (group
 * commit: one fsync for as many transactions as committed during the one before).
 *
 * <p>On PostgreSQL the commit itself waits for the WAL flush ({@code synchronous_commit=on}, the
 * server's default) and PostgreSQL groups concurrent flushes itself; nothing is left to do here.
 */
final class GroupSync {
  private final Database db;
  private final boolean needed;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition done = lock.newCondition();
  private final AtomicLong syncs = new AtomicLong();

  /** Commits made so far that asked to be durable (tickets handed out). */
  private long requested;

  /** Every ticket up to this one is durable. */
  private long synced;

  private boolean syncing;

  GroupSync(Database db) {
    this.db = db;
    this.needed = db.dialect() == Database.Dialect.H2 && !inMemory(db);
  }

  /** Returns once every transaction this thread committed before the call is on disk. */
  void awaitDurable() throws SQLException {
    if (!needed) {
      return;
    }
    long ticket;
    long target;
    lock.lock();
    try {
      ticket = ++requested;
      while (true) {
        if (synced >= ticket) {
          return;
        }
        if (!syncing) {
          break;
        }
        done.awaitUninterruptibly();
      }
      syncing = true;
      // Every ticket handed out so far belongs to a transaction that already committed.
      target = requested;
    } finally {
      lock.unlock();
    }
    boolean ok = false;
    try {
      sync();
      ok = true;
    } finally {
      lock.lock();
      try {
        if (ok) {
          synced = Math.max(synced, target);
        }
        syncing = false;
        done.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** How many times the file was forced to disk. */
  long syncs() {
    return syncs.get();
  }

  private void sync() throws SQLException {
    try (Connection c = db.connection(); Statement s = c.createStatement()) {
      s.execute("CHECKPOINT SYNC");
    }
    syncs.incrementAndGet();
  }

  private static boolean inMemory(Database db) {
    try (Connection c = db.connection()) {
      return c.getMetaData().getURL().startsWith("jdbc:h2:mem:");
    } catch (SQLException e) {
      throw JournalUnavailable.of(e);
    }
  }
}

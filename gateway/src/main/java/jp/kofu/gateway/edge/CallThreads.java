package jp.kofu.gateway.edge;

import java.time.Duration;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The bounded pool that runs the gateway's calls ({@code edge.call-threads}): a task goes to an
 * idle thread if there is one; a new thread starts only when every thread is busy, never more than
 * the bound; beyond it tasks wait in the queue. A thread idle for {@code keepAlive} ends.
 *
 * <p>Why not a plain {@code ThreadPoolExecutor} with core = maximum over an unbounded queue (as
 * before): it starts a new thread for every task until it has all of them, idle threads or not
 * (a copier streaming one document after another made the gateway start 512 threads), and then
 * hands each task to the thread that waited longest, so calls cycle through hundreds of threads,
 * each with a cold stack and thread locals of its own to fill (a session MAC, the MDC, Netty's
 * and the JDBC driver's). Here the pool has as many threads as calls ran at once, at most the
 * bound. The queue is the one Tomcat's executor uses for the same purpose.
 */
public final class CallThreads {
  private CallThreads() {}

  /** A pool of at most {@code threads} threads from {@code factory}. */
  public static ThreadPoolExecutor create(int threads, Duration keepAlive, ThreadFactory factory) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: at least 1)");
    }
    HandOff queue = new HandOff();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            0,
            threads,
            keepAlive.toNanos(),
            TimeUnit.NANOSECONDS,
            queue,
            factory,
            (task, executor) -> {
              // Lost a race to the last free place: the pool is full, so a thread will take it.
              if (executor.isShutdown()) {
                throw new java.util.concurrent.RejectedExecutionException("call threads shut down");
              }
              queue.enqueue(task);
            });
    queue.pool = pool;
    return pool;
  }

  /**
   * To an idle thread directly; else "no" while the pool may grow (so the pool starts a thread);
   * else queued, for the next thread that finishes.
   */
  private static final class HandOff extends LinkedTransferQueue<Runnable> {
    volatile ThreadPoolExecutor pool;

    @Override
    public boolean offer(Runnable task) {
      if (tryTransfer(task)) {
        return true;
      }
      ThreadPoolExecutor p = pool;
      if (p != null && p.getPoolSize() < p.getMaximumPoolSize()) {
        return false;
      }
      return super.offer(task);
    }

    void enqueue(Runnable task) {
      super.offer(task);
    }
  }
}

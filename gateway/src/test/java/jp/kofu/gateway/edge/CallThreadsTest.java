package jp.kofu.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TransferQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallThreadsTest {
  private final List<ThreadPoolExecutor> pools = new ArrayList<>();

  @AfterEach
  void shutDown() throws InterruptedException {
    for (ThreadPoolExecutor p : pools) {
      p.shutdownNow();
      assertThat(p.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private ThreadPoolExecutor pool(int threads) {
    ThreadPoolExecutor p = CallThreads.create(threads, Duration.ofMinutes(1), Thread.ofPlatform().daemon().name("test-call-", 0).factory());
    pools.add(p);
    return p;
  }

  /** Until a thread of the pool waits for work (the state, not a duration). */
  private static void untilIdleThreadWaits(ThreadPoolExecutor p) {
    await().atMost(Duration.ofSeconds(30)).until(() -> ((TransferQueue<Runnable>) p.getQueue()).hasWaitingConsumer());
  }

  @Test
  void callsOneAfterAnotherRunOnOneThreadNotOnANewThreadEach() throws Exception {
    ThreadPoolExecutor p = pool(512);
    Set<Thread> ran = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      CountDownLatch done = new CountDownLatch(1);
      p.execute(
          () -> {
            synchronized (ran) {
              ran.add(Thread.currentThread());
            }
            done.countDown();
          });
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      untilIdleThreadWaits(p);
    }
    // A ThreadPoolExecutor with core = maximum over an unbounded queue (the gateway's before)
    // would have started 50 threads here.
    assertThat(ran).hasSize(1);
    assertThat(p.getPoolSize()).isEqualTo(1);
  }

  @Test
  void aCallThatFindsEveryThreadBusyGetsANewOneUpToTheBoundThenWaitsInTheQueue() throws Exception {
    ThreadPoolExecutor p = pool(2);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(4);
    Runnable blocked =
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          finished.countDown();
        };
    for (int i = 0; i < 4; i++) {
      p.execute(blocked);
    }
    assertThat(p.getPoolSize()).isEqualTo(2);
    assertThat(p.getQueue()).hasSize(2);
    release.countDown();
    assertThat(finished.await(30, TimeUnit.SECONDS)).as("the queued calls run when a thread is free").isTrue();
    assertThat(p.getLargestPoolSize()).isEqualTo(2);
  }

  @Test
  void anIdleThreadIsUsedBeforeANewOneStarts() throws Exception {
    ThreadPoolExecutor p = pool(8);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    p.execute(
        () -> {
          started.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    CountDownLatch second = new CountDownLatch(1);
    p.execute(second::countDown); // the first thread is busy: a second one starts
    assertThat(second.await(30, TimeUnit.SECONDS)).isTrue();
    untilIdleThreadWaits(p);
    CountDownLatch third = new CountDownLatch(1);
    p.execute(third::countDown); // the second thread is idle: it takes this one
    assertThat(third.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.getLargestPoolSize()).isEqualTo(2);
    release.countDown();
  }
}

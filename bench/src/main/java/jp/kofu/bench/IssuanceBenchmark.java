package jp.kofu.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.kofu.sim.copier.Copier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole issuance in one process: a simulated copier and a gateway with its embedded issuer,
 * over loopback mTLS — open, card signature, authenticate, offerings, issue (journal, render, sign,
 * verify, journal, stream), the copier's own check, confirm, close. The figure to hold against
 * {@link RsaSigningBaseline#signAllCores}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class IssuanceBenchmark {
  BenchWorld world;
  final AtomicInteger next = new AtomicInteger();

  @State(Scope.Thread)
  public static class Station {
    Copier copier;
    BenchWorld.Holder holder;

    @Setup
    public void setUp(IssuanceBenchmark b) {
      int n = b.next.getAndIncrement();
      copier = b.world.copier("copier-" + n);
      holder = b.world.holders.get(n % b.world.holders.size());
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    world = new BenchWorld(200, 32);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    world.close();
  }

  /** One copier at a time. */
  @Benchmark
  public Copier.Outcome issueOneCopier(Station s) throws Exception {
    return s.copier.issueOnce(s.holder.card(), s.holder.entry().pin(), s.holder.entry().municipalityCode(), BenchWorld.RESIDENCE);
  }

  /** Eight copiers at once. */
  @Benchmark
  @Threads(8)
  public Copier.Outcome issueEightCopiers(Station s) throws Exception {
    return s.copier.issueOnce(s.holder.card(), s.holder.entry().pin(), s.holder.entry().municipalityCode(), BenchWorld.RESIDENCE);
  }
}

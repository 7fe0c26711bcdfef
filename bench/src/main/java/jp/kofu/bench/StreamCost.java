package jp.kofu.bench;

import com.google.protobuf.ByteString;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.grpc.Server;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.ReceivedDocument;

/**
 * The streaming figure of {@link Figures} alone, quicker and more robust on a shared machine:
 * server CPU time and allocation per streamed document, the gateway replaying a journaled order
 * against bare grpc-java streaming the same bytes in the same chunks over the same mTLS, both
 * servers in this JVM, the client in a JVM of its own ({@link CopierProcess}), and the two
 * <b>interleaved</b> over several rounds so that a burst of load from elsewhere falls on both.
 * Prints each round's figures and ratio, then the median ratio.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar jp.kofu.bench.StreamCost} with {@code
 * -Dstream.streams=N} (per round and server, default 300), {@code -Dstream.rounds=R} (5), and
 * {@code -Dstream.connections=N} (0: none) for the server CPU of N new connections to the gateway
 * per round, full mutual-TLS handshakes against resumed sessions. After the rounds, the journal's part
 * of a replayed stream alone, called in this JVM as {@code IssuanceService} calls it (process CPU
 * per call, the group commit's sync thread included): the order read, the session-closed read,
 * and the replay transaction (state read, document read, REPLAYED event, commit and sync);
 * {@code -Dstream.journal=N} replays and 10 N of each read per round (default 300, 0: none). {@code -Dstream.only=gateway} (or {@code
 * bare}) streams from that server alone (no ratio): for a profiler attached to this JVM, whose
 * samples of the shared Netty event loops are then that server's.
 */
public final class StreamCost {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private StreamCost() {}

  public static void main(String[] args) throws Exception {
    int streams = Integer.getInteger("stream.streams", 300);
    int rounds = Integer.getInteger("stream.rounds", 5);
    try (BenchWorld world = new BenchWorld(60, 1)) {
      BenchWorld.Holder holder = world.holders.get(0);
      Copier local = world.copier("stream-local");
      world.world.pki().terminal("bench", "store-1", "stream-0");
      ByteString token = local.authenticate(local.openSession(), holder.card(), holder.entry().pin()).getSessionToken();
      String order = UUID.randomUUID().toString();
      String muni = holder.entry().municipalityCode();
      ReceivedDocument first = local.issue(token, order, muni, BenchWorld.RESIDENCE);
      Server bare = StreamingBenchmark.bareServer(world.world.pki(), first.header(), first.pdf());
      try (CopierJvm child =
          CopierJvm.start(world, "256m", jp.kofu.testing.FakeClock.lastBusinessMorning(), "stream-0", Long.toString(holder.entry().residentId()))) {
        String tokenText = Base64.getEncoder().encodeToString(token.toByteArray());
        String gatewayAt = "127.0.0.1:" + world.world.address().getPort();
        String bareAt = "127.0.0.1:" + bare.getPort();
        String toGateway = String.join(" ", "stream", gatewayAt, "stream-local", tokenText, order, muni) + " ";
        String toBare = String.join(" ", "stream", bareAt, "stream-local", tokenText, order, muni) + " ";
        String only = System.getProperty("stream.only", "");
        int warmup = Integer.getInteger("stream.warmup", 2000);
        child.run(toGateway + warmup);
        child.run(toBare + warmup);
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          if (!only.isEmpty()) {
            String to = only.equals("bare") ? toBare : toGateway;
            double[] o = inThisProcess(() -> child.run(to + streams), streams);
            System.out.printf(Locale.ROOT, "round %d: %s %.3f ms / %.1f KB per stream; load average %.1f%n", r + 1, only, o[0] / 1e6, o[1] / 1024, OS.getSystemLoadAverage());
            continue;
          }
          double[] g = inThisProcess(() -> child.run(toGateway + streams), streams);
          double[] b = inThisProcess(() -> child.run(toBare + streams), streams);
          double ratio = g[0] / b[0];
          ratios.add(ratio);
          System.out.printf(
              Locale.ROOT,
              "round %d: gateway %.3f ms / %.1f KB, bare grpc-java %.3f ms / %.1f KB per stream: %.2f×; JIT left out %.3f / %.3f ms; load average %.1f%n",
              r + 1, g[0] / 1e6, g[1] / 1024, b[0] / 1e6, b[1] / 1024, ratio, g[2] / 1e6, b[2] / 1e6, OS.getSystemLoadAverage());
        }
        ratios.sort(null);
        if (!ratios.isEmpty()) {
          System.out.printf(
              Locale.ROOT, "median gateway / bare grpc-java: %.2f× over %d rounds of %d streams each%n", ratios.get(ratios.size() / 2), rounds, streams);
        }
        int journalCalls = Integer.getInteger("stream.journal", 300);
        jp.kofu.gateway.journal.IssuanceJournal journal = world.world.gateway().journal();
        jp.kofu.gateway.journal.Issuance row = journal.findByOrder(order).orElseThrow();
        jp.kofu.gateway.auth.AuthStore sessionsClosed = new jp.kofu.gateway.auth.AuthStore(journal.database());
        String sessionId = row.order().sessionId();
        java.time.Clock clock = world.world.clock(); // the gateway's own: the replay's time as the gateway would record it
        for (int r = 0; r < (journalCalls > 0 ? rounds + 1 : 0); r++) {
          // The reads ten times as often: a read is ~20 µs and the process clock ticks every 10 ms.
          double[] find = inThisProcess(() -> repeat(10 * journalCalls, () -> journal.findByOrder(order).orElseThrow()), 10 * journalCalls);
          double[] closed = inThisProcess(() -> repeat(10 * journalCalls, () -> sessionsClosed.isSessionClosed(sessionId)), 10 * journalCalls);
          double[] replay =
              inThisProcess(() -> repeat(journalCalls, () -> journal.replay(row.issuanceId(), sessionId, clock.instant()).orElseThrow()), journalCalls);
          if (r == 0) {
            continue; // warm-up
          }
          System.out.printf(
              Locale.ROOT,
              "round %d: journal per call, server CPU / allocation: order read %.3f ms / %.1f KB, session-closed read %.3f ms / %.1f KB, "
                  + "replay (state, document, REPLAYED event, commit, sync) %.3f ms / %.1f KB; syncs so far %d%n",
              r, find[0] / 1e6, find[1] / 1024, closed[0] / 1e6, closed[1] / 1024, replay[0] / 1e6, replay[1] / 1024, journal.syncs());
        }
        // New connections to the gateway itself (mutual-TLS handshake and one OpenSession): each
        // on a new client TLS context (a full handshake), and all on one (resumable sessions).
        int connections = Integer.getInteger("stream.connections", 0);
        String tls = world.world.gateway().tlsImplementation().name().toLowerCase(Locale.ROOT).startsWith("openssl") ? "openssl" : "jdk";
        for (int r = 0; r < (connections > 0 ? rounds : 0); r++) {
          for (String how : List.of("full", "resume")) {
            String command = String.join(" ", "connect", gatewayAt, "stream-local", tls, Integer.toString(connections), how);
            double[] c = inThisProcess(() -> child.run(command), connections);
            System.out.printf(Locale.ROOT, "round %d: new connection to the gateway (%s TLS, %s), server CPU %.3f ms, %.1f KB%n", r + 1, tls, how, c[0] / 1e6, c[1] / 1024);
          }
        }
        child.run("quit");
      } finally {
        bare.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static void repeat(int times, Runnable call) {
    for (int i = 0; i < times; i++) {
      call.run();
    }
  }

  /**
   * This process's CPU nanoseconds per operation over the work, the JIT compiler's threads left
   * out (the steady state, as in {@link Figures}: the gateway's longer path is still being
   * compiled for thousands of streams, which made the rounds fall from 8 to 3 ms within one run),
   * its allocated bytes per operation, and the JIT's nanoseconds per operation that were left out.
   */
  private static double[] inThisProcess(Runnable work, int operations) {
    ProcessCpu.Snapshot before = ProcessCpu.snapshot();
    long bytes0 = THREADS.getTotalThreadAllocatedBytes();
    work.run();
    long bytes = THREADS.getTotalThreadAllocatedBytes() - bytes0;
    ProcessCpu.Split cpu = ProcessCpu.between(before, ProcessCpu.snapshot());
    return new double[] {(double) (cpu.total() - cpu.jit()) / operations, (double) bytes / operations, (double) cpu.jit() / operations};
  }

}

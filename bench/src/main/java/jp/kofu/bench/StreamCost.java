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
 * per round, full mutual-TLS handshakes against resumed sessions.
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
        child.run(toGateway + streams);
        child.run(toBare + streams);
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          double[] g = inThisProcess(() -> child.run(toGateway + streams), streams);
          double[] b = inThisProcess(() -> child.run(toBare + streams), streams);
          double ratio = g[0] / b[0];
          ratios.add(ratio);
          System.out.printf(
              Locale.ROOT,
              "round %d: gateway %.3f ms / %.1f KB, bare grpc-java %.3f ms / %.1f KB per stream: %.2f×; load average %.1f%n",
              r + 1, g[0] / 1e6, g[1] / 1024, b[0] / 1e6, b[1] / 1024, ratio, OS.getSystemLoadAverage());
        }
        ratios.sort(null);
        System.out.printf(Locale.ROOT, "median gateway / bare grpc-java: %.2f× over %d rounds of %d streams each%n", ratios.get(ratios.size() / 2), rounds, streams);
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

  /** This process's CPU nanoseconds and allocated bytes per operation over the work. */
  private static double[] inThisProcess(Runnable work, int operations) {
    long cpu0 = OS.getProcessCpuTime();
    long bytes0 = THREADS.getTotalThreadAllocatedBytes();
    work.run();
    return new double[] {
      (double) (OS.getProcessCpuTime() - cpu0) / operations, (double) (THREADS.getTotalThreadAllocatedBytes() - bytes0) / operations
    };
  }

}

package jp.kofu.bench;

import com.google.protobuf.ByteString;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import com.sun.management.OperatingSystemMXBean;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.lang.management.ManagementFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;
import jp.kofu.proto.kiosk.v1.IssueRequest;
import jp.kofu.proto.kiosk.v1.IssueResponse;
import jp.kofu.proto.kiosk.v1.KioskServiceGrpc;
import jp.kofu.proto.kiosk.v1.OpenSessionRequest;
import jp.kofu.sim.load.LoadPlan;
import jp.kofu.sim.load.LoadReport;
import jp.kofu.sim.load.LoadRunner;
import jp.kofu.sim.load.LoadTarget;
import jp.kofu.sim.load.Phase;
import jp.kofu.sim.load.ScenarioMix;
import org.HdrHistogram.Histogram;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;

/**
 * The simulated copiers of {@link Figures}, in a JVM of their own so that the server's process CPU
 * and allocation are the server's alone. Started by {@link Figures}; reads commands on stdin and
 * answers one line each on stdout:
 *
 * <ul>
 *   <li>{@code issue N}: N whole issuances (open, card, authenticate, offerings, issue, the copier's
 *       check, confirm, close) spread over the copiers; answers {@code ok N};
 *   <li>{@code stream HOST:PORT TERMINAL TOKEN ORDER MUNICIPALITY N [TLS]}: N streams of that
 *       (already issued) order, as that terminal, one after another, on one connection whose TLS
 *       is {@code TLS} ({@code jdk}, {@code openssl}; default: the copier's own); answers {@code ok
 *       N cpu NANOS} (this process's CPU time over them);
 *   <li>{@code connect HOST:PORT TERMINAL TLS N [resume]}: N new connections one after another,
 *       each a mutual-TLS handshake and one OpenSession call, then closed; with {@code resume}
 *       all on one client TLS context (its sessions resumable), else each on a new one; answers
 *       {@code ok N cpu NANOS};
 *   <li>{@code load RATE SECONDS WARMUP TERMINALS}: the load simulator ({@code kofu sim load}'s
 *       {@link LoadRunner}, default scenario mix) at RATE arrivals/s for SECONDS after WARMUP
 *       seconds; answers {@code ok COMPLETED p50 P50 p99 P99 p999 P999 max MAX rate R misissued
 *       B cpu NANOS jit NANOS gc NANOS gcs N pauses MILLIS} (end to end from the intended start,
 *       milliseconds; then this process's own CPU over the command, warm-up included, its JIT
 *       compiler's and collector's threads' share, its collections and their pauses);
 *   <li>{@code quit}.
 * </ul>
 *
 * Arguments: gateway host:port, pki directory, wallet directory, the world's clock (an instant),
 * the terminal names (comma-separated, certificates already issued), the holders' resident ids.
 */
public final class CopierProcess {
  private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private CopierProcess() {}

  public static void main(String[] args) throws Exception {
    // A child of the measuring JVM: if that one ends (a crash, a kill), so does this one, instead
    // of retrying against a gateway that is gone and taking the CPU of the next run.
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
    InetSocketAddress gateway = address(args[0]);
    TrustWorld pki = TrustWorld.openOrCreate(Path.of(args[1]), Clock.fixed(Instant.parse(args[3]), ZoneOffset.UTC));
    CardWallet wallet = CardWallet.open(Path.of(args[2]), pki);
    String[] terminals = args[4].split(",");
    String[] residents = args[5].split(",");
    List<Copier> copiers = new ArrayList<>();
    List<CardWallet.Entry> entries = new ArrayList<>();
    List<SimulatedCard> cards = new ArrayList<>();
    for (int i = 0; i < terminals.length; i++) {
      copiers.add(Copier.forWorld(gateway, pki, "bench", "store-1", terminals[i]));
      CardWallet.Entry e = wallet.entry(Long.parseLong(residents[i % residents.length])).orElseThrow();
      entries.add(e);
      cards.add(wallet.card(e.residentId()));
    }
    Map<String, Copier> streamers = new HashMap<>();
    Map<String, ManagedChannel> channels = new HashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(copiers.size());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.trim().split(" ");
      try {
        switch (w[0]) {
          case "issue" -> {
            int n = Integer.parseInt(w[1]);
            AtomicInteger left = new AtomicInteger(n);
            AtomicInteger failed = new AtomicInteger();
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < copiers.size(); i++) {
              int c = i;
              running.add(
                  pool.submit(
                      () -> {
                        while (left.getAndDecrement() > 0) {
                          CardWallet.Entry e = entries.get(c);
                          try {
                            copiers.get(c).issueOnce(cards.get(c), e.pin(), e.municipalityCode(), BenchWorld.RESIDENCE);
                          } catch (io.grpc.StatusRuntimeException ex) {
                            // A transient failure on a busy machine (a handshake that timed out
                            // under load, a deadline): do it again, and say so.
                            if (failed.incrementAndGet() > Math.max(50, n / 2)) {
                              throw ex;
                            }
                            left.incrementAndGet();
                            System.err.println("copiers: retrying an issuance after " + ex.getStatus().getCode());
                          }
                        }
                        return null;
                      }));
            }
            for (Future<?> f : running) {
              f.get();
            }
            System.out.println("ok " + n + " retried " + failed.get());
          }
          case "stream" -> {
            ByteString token = ByteString.copyFrom(Base64.getDecoder().decode(w[3]));
            int n = Integer.parseInt(w[6]);
            long cpu0 = OS.getProcessCpuTime();
            if (w.length > 7) {
              ManagedChannel channel = channels.computeIfAbsent(String.join(" ", w[1], w[2], w[7]), a -> channel(pki, w[1], w[2], w[7]));
              for (int i = 0; i < n; i++) {
                drain(channel, token, w[4], w[5]);
              }
            } else {
              Copier to = streamers.computeIfAbsent(w[1] + " " + w[2], a -> new Copier(address(w[1]), pki.terminal("bench", "store-1", w[2]),
                  pki.serviceCa().certificate(), List.of(pki.municipalCa().certificate())));
              for (int i = 0; i < n; i++) {
                to.issue(token, w[4], w[5], BenchWorld.RESIDENCE);
              }
            }
            System.out.println("ok " + n + " cpu " + (OS.getProcessCpuTime() - cpu0));
          }
          case "connect" -> {
            int n = Integer.parseInt(w[4]);
            // "resume": one TLS context for every connection, as a copier that keeps its context
            // across reconnects, so that its TLS sessions can be resumed; else a new one each.
            io.netty.handler.ssl.SslContext shared = w.length > 5 && w[5].equals("resume") ? tls(pki, w[2], w[3]) : null;
            channel(pki, w[1], w[2], w[3]).shutdownNow().awaitTermination(5, TimeUnit.SECONDS); // the key and certificate read once
            if (shared != null) {
              channel(w[1], shared).shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            long cpu0 = OS.getProcessCpuTime();
            for (int i = 0; i < n; i++) {
              ManagedChannel channel = shared != null ? channel(w[1], shared) : channel(pki, w[1], w[2], w[3]);
              try {
                KioskServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .openSession(OpenSessionRequest.newBuilder().setTerminalSoftware(Copier.SOFTWARE).build());
              } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
              }
            }
            System.out.println("ok " + n + " cpu " + (OS.getProcessCpuTime() - cpu0));
          }
          case "load" -> {
            LoadPlan plan =
                new LoadPlan(
                    Integer.parseInt(w[4]), Double.parseDouble(w[1]), Duration.ofSeconds(Long.parseLong(w[2])),
                    Duration.ofSeconds(Long.parseLong(w[3])), ScenarioMix.defaults(), false, 7, LoadPlan.DEFAULT_RETRY_FOR);
            ProcessCpu.Snapshot cpu0 = ProcessCpu.snapshot();
            LoadReport r = new LoadRunner(plan, new LoadTarget(gateway, pki, wallet.withKeyPool(16), false)).run(System.err::println);
            ProcessCpu.Split own = ProcessCpu.between(cpu0, ProcessCpu.snapshot());
            if (System.getProperty("figures.load.report") != null) {
              r.writeTo(Path.of(System.getProperty("figures.load.report")));
            }
            Histogram e2e = r.metrics().totals().get(Phase.COMPLETE);
            System.out.printf(
                java.util.Locale.ROOT, "ok %d p50 %.1f p99 %.1f p999 %.1f max %.1f rate %.2f misissued %b cpu %d jit %d gc %d gcs %d pauses %d%n",
                e2e.getTotalCount(), e2e.getValueAtPercentile(50) / 1e3, e2e.getValueAtPercentile(99) / 1e3,
                e2e.getValueAtPercentile(99.9) / 1e3, e2e.getMaxValue() / 1e3, r.throughputPerSecond(), r.misissued(), own.total(),
                own.jit(), own.gc(), own.gcCount(), own.gcMillis());
          }
          case "quit" -> {
            pool.shutdownNow();
            channels.values().forEach(ManagedChannel::shutdownNow);
            copiers.forEach(Copier::close);
            streamers.values().forEach(Copier::close);
            System.out.println("ok 0");
            return;
          }
          default -> System.out.println("error unknown command " + w[0]);
        }
      } catch (Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        System.out.println("error " + cause.toString().replace('\n', ' '));
      }
      System.out.flush();
    }
  }

  /** A channel of that terminal whose TLS is {@code tls} ({@code jdk} or {@code openssl}). */
  private static ManagedChannel channel(TrustWorld pki, String hostPort, String terminal, String tls) {
    return channel(hostPort, tls(pki, terminal, tls));
  }

  private static ManagedChannel channel(String hostPort, io.netty.handler.ssl.SslContext tls) {
    return NettyChannelBuilder.forAddress(address(hostPort)).sslContext(tls).build();
  }

  /** That terminal's client TLS context on {@code tls} ({@code jdk} or {@code openssl}). */
  private static io.netty.handler.ssl.SslContext tls(TrustWorld pki, String terminal, String tls) {
    HeldCertificate cert = pki.terminal("bench", "store-1", terminal);
    try {
      return GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.valueOf(tls.toUpperCase(java.util.Locale.ROOT)))
          .keyManager(cert.privateKey(), cert.chain().toArray(X509Certificate[]::new))
          .trustManager(pki.serviceCa().certificate())
          .build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One Issue stream read to its end (header, chunks, trailer), the framing checked. */
  private static void drain(ManagedChannel channel, ByteString token, String order, String municipality) {
    Iterator<IssueResponse> stream =
        KioskServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .issue(IssueRequest.newBuilder().setSessionToken(token).setOrderId(order).setMunicipalityCode(municipality).setCertificate(BenchWorld.RESIDENCE).build());
    long size = -1;
    long received = 0;
    boolean trailer = false;
    while (stream.hasNext()) {
      IssueResponse r = stream.next();
      switch (r.getPartCase()) {
        case HEADER -> size = r.getHeader().getByteSize();
        case CHUNK -> received += r.getChunk().getData().size();
        case TRAILER -> trailer = true;
        default -> throw new IllegalStateException("unexpected part " + r.getPartCase());
      }
    }
    if (!trailer || received != size) {
      throw new IllegalStateException("stream ended after " + received + " of " + size + " bytes" + (trailer ? "" : ", no trailer"));
    }
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}

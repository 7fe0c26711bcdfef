package jp.kofu.bench;

import com.google.protobuf.ByteString;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.grpc.Server;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import jp.kofu.issuer.document.CertificateContent;
import jp.kofu.issuer.document.CertificateRenderer;
import jp.kofu.issuer.document.DocumentMeta;
import jp.kofu.issuer.document.PadesSigner;
import jp.kofu.issuer.document.SampleCertificates;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.timestamp.TimeStampAuthority;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.ReceivedDocument;

/**
 * The issue's figures in one run, measured on the server and not on the machine ({@code bench/run
 * figures}):
 *
 * <ul>
 *   <li>the unit: the CPU time of one RSA-2048 signature (SHA256withRSA), on this thread;
 *   <li>render CPU and allocation per document type, and PAdES B-T signing, on this thread;
 *   <li>server CPU and allocation per whole issuance: the gateway with its embedded issuer runs in
 *       this JVM, the copiers in a JVM of their own ({@link CopierProcess}), so this process's CPU
 *       time (every thread: calls, Netty, GC, JIT) and bytes allocated are the server's alone;
 *   <li>server CPU per streamed document: the gateway replaying a journaled order against bare
 *       grpc-java streaming the same bytes in the same chunks over the same mTLS, both servers in
 *       this JVM, the client in the copiers' JVM.
 * </ul>
 *
 * Every CPU figure is also given in RSA-2048 signatures measured in the same run. System
 * properties: {@code figures.issuances} (measured, default 1000), {@code figures.copiers} (8),
 * {@code figures.streams} (1000), {@code figures.seconds} (per render type, 3), {@code
 * figures.out} (also write the table there).
 */
public final class Figures {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final List<String[]> rows = new ArrayList<>();
  private double rsaNanos;

  /** The run's one clock: what it signs and timestamps, and the time its table is dated. */
  private final Clock clock;

  Figures(Clock clock) {
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    new Figures(Clock.systemUTC()).run();
  }

  /** CPU nanoseconds and bytes allocated, per operation. */
  record Cost(double cpuNanos, double bytes, int operations) {}

  private void run() throws Exception {
    int issuances = Integer.getInteger("figures.issuances", 1000);
    int copiers = Integer.getInteger("figures.copiers", 8);
    int streams = Integer.getInteger("figures.streams", 1000);
    double seconds = Double.parseDouble(System.getProperty("figures.seconds", "3"));

    TrustWorld keys = TrustWorld.generate();
    HeldCertificate signer = keys.municipalSigner("131016", "千代田区");
    PrivateKey key = signer.privateKey();
    byte[] digest = new byte[32];
    Supplier<Object> rsa =
        () -> {
          try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(digest);
            return s.sign();
          } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
          }
        };
    Cost sig = onThisThread(rsa, seconds);
    rsaNanos = sig.cpuNanos;
    row("RSA-2048 signature (SHA256withRSA), CPU", sig, "the unit");

    CertificateRenderer renderer = new CertificateRenderer();
    DocumentMeta meta = SampleCertificates.meta("KF-20261126-000001");
    for (Map.Entry<CertificateType, CertificateContent> e : SampleCertificates.all().entrySet()) {
      Cost c = onThisThread(() -> renderer.render(e.getValue(), meta), seconds);
      row("render " + e.getKey() + ", CPU / allocation", c, "");
    }
    byte[] unsigned = renderer.render(SampleCertificates.all().get(CertificateType.RESIDENCE), meta);
    PadesSigner timestamped = new PadesSigner(clock, new TimeStampAuthority(keys.timestampingUnit(), clock));
    row("sign PAdES B-T (RESIDENCE), CPU / allocation", onThisThread(() -> timestamped.sign(unsigned, signer), seconds), "two RSA signatures inside");

    try (BenchWorld world = new BenchWorld(200, 32)) {
      List<String> terminals = new ArrayList<>();
      for (int i = 0; i < copiers; i++) {
        terminals.add("figures-" + i);
        world.world.pki().terminal("bench", "store-1", terminals.get(i));
      }
      String residents = world.holders.stream().map(h -> Long.toString(h.entry().residentId())).collect(Collectors.joining(","));
      Copier local = world.copier("figures-local");
      BenchWorld.Holder holder = world.holders.get(0);
      ByteString token = local.authenticate(local.openSession(), holder.card(), holder.entry().pin()).getSessionToken();
      String order = UUID.randomUUID().toString();
      ReceivedDocument first = local.issue(token, order, holder.entry().municipalityCode(), BenchWorld.RESIDENCE);
      Server bare = StreamingBenchmark.bareServer(world.world.pki(), first.header(), first.pdf());
      Instant copiersAt = jp.kofu.testing.FakeClock.lastBusinessMorning();
      try (Child child =
          new Child(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "-Xmx512m",
                  CopierProcess.class.getName(),
                  "127.0.0.1:" + world.world.address().getPort(),
                  world.world.pki().directory().toString(),
                  world.world.walletDir().toString(),
                  copiersAt.toString(),
                  String.join(",", terminals),
                  residents))) {
        child.run("issue " + Math.max(200, issuances / 2));
        child.run("issue " + Math.max(200, issuances / 2));
        Cost issuance = inThisProcess(() -> child.run("issue " + issuances), issuances);
        row("**server CPU per issuance** (" + copiers + " copiers in their own JVM) / allocation", issuance, "");
        String tokenText = Base64.getEncoder().encodeToString(token.toByteArray());
        String muni = holder.entry().municipalityCode();
        String gatewayAt = "127.0.0.1:" + world.world.address().getPort();
        String bareAt = "127.0.0.1:" + bare.getPort();
        child.run(String.join(" ", "stream", gatewayAt, "figures-local", tokenText, order, muni, Integer.toString(streams / 2)));
        child.run(String.join(" ", "stream", bareAt, "figures-local", tokenText, order, muni, Integer.toString(streams / 2)));
        Cost gateway = inThisProcess(() -> child.run(String.join(" ", "stream", gatewayAt, "figures-local", tokenText, order, muni, Integer.toString(streams))), streams);
        Cost bareCost = inThisProcess(() -> child.run(String.join(" ", "stream", bareAt, "figures-local", tokenText, order, muni, Integer.toString(streams))), streams);
        row("stream a " + first.pdf().length / 1024 + " KB document, bare grpc-java, server CPU / allocation", bareCost, "1");
        row(
            "stream the same, gateway (replayed order), server CPU / allocation",
            gateway,
            String.format(Locale.ROOT, "**%.2f×** bare grpc-java", gateway.cpuNanos / bareCost.cpuNanos));
        child.run("quit");
      } finally {
        bare.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    print();
  }

  private void row(String what, Cost c, String note) {
    rows.add(
        new String[] {
          what,
          String.format(Locale.ROOT, "%.3f ms", c.cpuNanos / 1e6),
          String.format(Locale.ROOT, "%.2f", c.cpuNanos / rsaNanos),
          String.format(Locale.ROOT, "%.2f MB", c.bytes / 1e6),
          Integer.toString(c.operations),
          note
        });
    System.err.printf(Locale.ROOT, "figures: %s: %.3f ms CPU, %.2f MB%n", what, c.cpuNanos / 1e6, c.bytes / 1e6);
  }

  private void print() throws IOException {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n%s, %s %s, %d cores, JDK %s%n%n", clock.instant(), System.getProperty("os.name"),
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), Runtime.version()));
    out.append("| figure | CPU per operation | RSA-2048 signatures | allocated per operation | operations | note |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (String[] r : rows) {
      out.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    System.out.print(out);
    String file = System.getProperty("figures.out");
    if (file != null) {
      Files.writeString(Path.of(file), out, StandardCharsets.UTF_8);
    }
  }

  /**
   * Warms up for the given seconds and at least 200 operations, then measures as long again (and
   * at least 200 operations), on this thread alone.
   */
  private static Cost onThisThread(Supplier<Object> op, double seconds) {
    long until = System.nanoTime() + (long) (seconds * 1e9);
    Object sink = null;
    for (int i = 0; i < 200 || System.nanoTime() < until; i++) {
      sink = op.get();
    }
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long bytes0 = THREADS.getCurrentThreadAllocatedBytes();
    until = System.nanoTime() + (long) (seconds * 1e9);
    int n = 0;
    while (n < 200 || System.nanoTime() < until) {
      sink = op.get();
      n++;
    }
    long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
    long bytes = THREADS.getCurrentThreadAllocatedBytes() - bytes0;
    if (sink == null) {
      throw new IllegalStateException("nothing produced");
    }
    return new Cost((double) cpu / n, (double) bytes / n, n);
  }

  /** This process's CPU time (all threads) and heap allocation over one run of the work. */
  private static Cost inThisProcess(Runnable work, int operations) {
    long cpu0 = OS.getProcessCpuTime();
    long bytes0 = THREADS.getTotalThreadAllocatedBytes();
    work.run();
    long cpu = OS.getProcessCpuTime() - cpu0;
    long bytes = THREADS.getTotalThreadAllocatedBytes() - bytes0;
    return new Cost((double) cpu / operations, (double) bytes / operations, operations);
  }

  /** The copiers' JVM, one command and one answer at a time. */
  private static final class Child implements AutoCloseable {
    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader answers;

    Child(List<String> command) throws IOException {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    void run(String command) {
      commands.println(command);
      try {
        String answer = answers.readLine();
        while (answer != null && !answer.startsWith("ok ") && !answer.startsWith("error ")) {
          answer = answers.readLine(); // a log line on stdout
        }
        if (answer == null || !answer.startsWith("ok ")) {
          throw new IllegalStateException("copiers: " + command.split(" ")[0] + ": " + answer);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}

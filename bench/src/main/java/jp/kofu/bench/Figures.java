package jp.kofu.bench;

import com.google.protobuf.ByteString;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.grpc.Server;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
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
 *   <li>fsyncs per issuance over the same issuances: {@code FileChannel.force} calls in this
 *       process counted by JFR ({@code jdk.FileForce}), beside the journal's own sync counter;
 *   <li>server CPU per streamed document: the gateway replaying a journaled order against bare
 *       grpc-java streaming the same bytes in the same chunks over the same mTLS, both servers in
 *       this JVM, the client in the copiers' JVM;
 *   <li>TLS: bare grpc-java on the JDK's TLS against BoringSSL (netty-tcnative), server and client
 *       CPU per streamed document and per new connection (handshake and one small call);
 *   <li>capacity and latency: the issuances per second the copiers above sustained is the
 *       capacity; then the load simulator ({@code kofu sim load}'s runner, in the copiers' JVM)
 *       offers half of it, open-model, and reports end-to-end latency from the intended start;
 *   <li>the journal's durable rate on the embedded default and on PostgreSQL ({@link
 *       JournalBenchmark#issuance}, 8 and 64 threads, through JMH in a forked JVM) and its syncs to
 *       disk per issuance; on PostgreSQL also the floor under it, the held document alone
 *       ({@link DocumentFloorBenchmark}), and the journal's rate as a fraction of it.
 * </ul>
 *
 * Every CPU figure is also given in RSA-2048 signatures measured in the same run. System
 * properties: {@code figures.issuances} (measured, default 1000), {@code figures.copiers} (8),
 * {@code figures.warmup} (issuances per warm-up round; 200 or half of figures.issuances; rounds
 * until the JIT's share of a round falls under {@code figures.warmup.jit}, 0.03, at most {@code
 * figures.warmup.rounds}, 12), 
 * {@code figures.streams} (1000), {@code figures.streams.warmup} (streams per server before the stream
 * figures: the larger of half of figures.streams and 2000), {@code figures.connections} (300), {@code figures.seconds} (per
 * render type, 3), {@code figures.load.seconds} (60; 0 skips the load run), {@code
 * figures.load.warmup} (seconds of load before it, not measured; 10 or a third of
 * figures.load.seconds), {@code figures.load.terminals} (100), {@code figures.journal} (true),
 * {@code figures.journal.threads} (8,64), {@code figures.out} (also write
 * the tables there).
 */
public final class Figures {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final List<String[]> rows = new ArrayList<>();

  /** The issue's targets, figure by figure: what, this run's value, target. */
  private final List<String[]> targets = new ArrayList<>();

  /** Figures that are counts or rates, not CPU: what, value, note. */
  private final List<String[]> others = new ArrayList<>();

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
    int connections = Integer.getInteger("figures.connections", 300);
    int loadSeconds = Integer.getInteger("figures.load.seconds", 60);
    int loadTerminals = Integer.getInteger("figures.load.terminals", 100);
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
      if (e.getKey() == CertificateType.RESIDENCE) {
        target("render of 住民票の写し, CPU", ms(c.cpuNanos) + " (" + sigs(c.cpuNanos) + " signatures)", "≤ 1 ms");
      }
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
      Server bareJdk = StreamingBenchmark.bareServer(world.world.pki(), first.header(), first.pdf(), SslProvider.JDK);
      boolean boringSsl = OpenSsl.isAvailable() && OpenSsl.isAlpnSupported();
      Server bareOpenSsl = boringSsl ? StreamingBenchmark.bareServer(world.world.pki(), first.header(), first.pdf(), SslProvider.OPENSSL) : null;
      Instant copiersAt = jp.kofu.testing.FakeClock.lastBusinessMorning();
      try (CopierJvm child =
          CopierJvm.start(world, "512m", copiersAt, String.join(",", terminals), residents)) {
        int warmup = Integer.getInteger("figures.warmup", Math.max(200, issuances / 2));
        warmUp(child, warmup);
        long syncs0 = world.world.gateway().journal().syncs();
        long forced0;
        long wall0;
        Cost issuance;
        ProcessCpu.Split split;
        try (FileForces forces = new FileForces()) {
          forced0 = forces.count();
          wall0 = System.nanoTime();
          ProcessCpu.Snapshot split0 = ProcessCpu.snapshot();
          issuance = inThisProcess(() -> child.run("issue " + issuances), issuances);
          split = ProcessCpu.between(split0, ProcessCpu.snapshot());
          wall0 = System.nanoTime() - wall0;
          forced0 = forces.countAfterFlush() - forced0;
        }
        long journalSyncs = world.world.gateway().journal().syncs() - syncs0;
        double capacity = issuances / (wall0 / 1e9);
        row("server CPU per issuance, whole process incl. JIT and GC (" + copiers + " copiers in their own JVM) / allocation", issuance, "");
        double steady = issuance.cpuNanos;
        if (split.known()) {
          double jit = (double) split.jit() / issuances;
          steady = issuance.cpuNanos - jit;
          row("… of which the JIT compiler's threads", new Cost(jit, 0, issuances),
              String.format(Locale.ROOT, "%.1f %% of the whole; the compiler's own count: %.3f ms per issuance", 100.0 * split.jit() / split.total(),
                  (double) split.compilationMillis() / issuances));
          row("… of which the garbage collector's threads", new Cost((double) split.gc() / issuances, 0, issuances),
              String.format(Locale.ROOT, "%.1f %% of the whole; %d collections, %d ms of pauses in all", 100.0 * split.gc() / split.total(),
                  split.gcCount(), split.gcMillis()));
          row("… the rest (the application's threads, Netty, TLS, journal, the VM thread)", new Cost((double) split.rest() / issuances, 0, issuances), "");
          row("**server CPU per issuance, steady state** (the whole less JIT compilation; GC included) / allocation",
              new Cost(steady, issuance.bytes, issuances), "");
        } else {
          other("server CPU per issuance: JIT and GC shares", "unknown", "no /proc/self/task here: the figure below includes the JIT compiler's CPU");
        }
        target("server CPU per issuance, RSA-2048 signature equivalents (same run; steady state: JIT compilation excluded, GC included)",
            sigs(steady) + " (" + ms(steady) + "; with the JIT's " + ms(issuance.cpuNanos - steady) + ": " + sigs(issuance.cpuNanos) + ")", "≤ 4");
        target("allocation per issuance (server)", mb(issuance.bytes), "≤ 1.5 MB");
        other("capacity: whole issuances per second, " + copiers + " closed-loop copiers (their own JVM, same 2 cores)", String.format(Locale.ROOT, "%.1f /s", capacity), issuances + " issuances");
        other(
            "fsyncs per issuance, embedded journal (FileChannel.force in the server, JFR jdk.FileForce)",
            String.format(Locale.ROOT, "%.3f", (double) forced0 / issuances),
            forced0 + " over " + issuances + " issuances; the journal's own counter: " + journalSyncs + " (" + String.format(Locale.ROOT, "%.3f", (double) journalSyncs / issuances) + ")");
        String tokenText = Base64.getEncoder().encodeToString(token.toByteArray());
        String muni = holder.entry().municipalityCode();
        String gatewayAt = "127.0.0.1:" + world.world.address().getPort();
        String bareAt = "127.0.0.1:" + bare.getPort();
        if (streams > 0) {
          // Warmed up as StreamCost is: after streams / 2 (200) the gateway's path was still being
          // compiled (4.3 ms of JIT per stream against 3.2 ms of the rest).
          int streamWarmup = Integer.getInteger("figures.streams.warmup", Math.max(streams / 2, 2000));
          child.run(String.join(" ", "stream", gatewayAt, "figures-local", tokenText, order, muni, Integer.toString(streamWarmup)));
          child.run(String.join(" ", "stream", bareAt, "figures-local", tokenText, order, muni, Integer.toString(streamWarmup)));
          // The steady state, as for the issuance: the JIT compiler's threads left out (the gateway's
          // longer path is still compiled thousands of streams in), the whole printed beside it.
          double[] gatewayJit = {0};
          double[] bareJit = {0};
          Cost gateway =
              steadyInThisProcess(() -> child.run(String.join(" ", "stream", gatewayAt, "figures-local", tokenText, order, muni, Integer.toString(streams))), streams, gatewayJit);
          Cost bareCost =
              steadyInThisProcess(() -> child.run(String.join(" ", "stream", bareAt, "figures-local", tokenText, order, muni, Integer.toString(streams))), streams, bareJit);
          row("stream a " + first.pdf().length / 1024 + " KB document, bare grpc-java, server CPU (steady state) / allocation", bareCost, "1; JIT " + ms(bareJit[0]) + " more");
          row(
              "stream the same, gateway (replayed order), server CPU (steady state) / allocation",
              gateway,
              String.format(Locale.ROOT, "**%.2f×** bare grpc-java; JIT %s more", gateway.cpuNanos / bareCost.cpuNanos, ms(gatewayJit[0])));
          target(
              "gateway stream CPU / bare grpc-java (steady state: JIT compilation excluded)",
              String.format(
                  Locale.ROOT,
                  "**%.2f×** (%s against %s; with the JIT's: %.2f×, %s against %s)",
                  gateway.cpuNanos / bareCost.cpuNanos, ms(gateway.cpuNanos), ms(bareCost.cpuNanos),
                  (gateway.cpuNanos + gatewayJit[0]) / (bareCost.cpuNanos + bareJit[0]), ms(gateway.cpuNanos + gatewayJit[0]), ms(bareCost.cpuNanos + bareJit[0])),
              "≤ 1.3×");
        }

        // (figures.streams=0 or figures.connections=0: the rows are left out, not printed as NaN)
        if (streams > 0 && connections > 0) {
          // TLS: the same bare server and client on the JDK's TLS, then on BoringSSL.
          List<String> providers = boringSsl ? List.of("jdk", "openssl") : List.of("jdk");
          Map<String, Cost[]> tls = new java.util.LinkedHashMap<>();
          for (String p : providers) {
            String at = "127.0.0.1:" + (p.equals("jdk") ? bareJdk : bareOpenSsl).getPort();
            String stream = String.join(" ", "stream", at, "figures-local", tokenText, order, muni);
            child.run(stream + " " + streams / 2 + " " + p);
            long[] clientCpu = new long[1];
            Cost server = inThisProcess(() -> clientCpu[0] = cpuOf(child.run(stream + " " + streams + " " + p)), streams);
            Cost client = new Cost((double) clientCpu[0] / streams, 0, streams);
            child.run(String.join(" ", "connect", at, "figures-local", p, Integer.toString(Math.max(20, connections / 4))));
            long[] clientHs = new long[1];
            Cost handshake =
                inThisProcess(() -> clientHs[0] = cpuOf(child.run(String.join(" ", "connect", at, "figures-local", p, Integer.toString(connections)))), connections);
            tls.put(p, new Cost[] {server, client, handshake, new Cost((double) clientHs[0] / connections, 0, connections)});
          }
          Cost[] jdk = tls.get("jdk");
          Cost[] ossl = tls.get("openssl");
          String[] labels = {
            "stream the same, bare grpc-java, server CPU", "stream the same, bare grpc-java, client CPU (copiers' JVM)",
            "new connection (mutual-TLS handshake, one OpenSession), server CPU", "new connection, client CPU (copiers' JVM)"
          };
          for (int i = 0; i < labels.length; i++) {
            row(labels[i] + ", JDK TLS", jdk[i], "");
            if (ossl != null) {
              row(labels[i] + ", BoringSSL (netty-tcnative)", ossl[i], String.format(Locale.ROOT, "%.2f× the JDK's", ossl[i].cpuNanos / jdk[i].cpuNanos));
            }
          }
          if (ossl == null) {
            other("BoringSSL (netty-tcnative)", "not available here", String.valueOf(OpenSsl.unavailabilityCause()));
          }
        }

        // p99 end to end at half the capacity just measured, the simulator in the copiers' JVM.
        if (loadSeconds > 0) {
          double rate = Math.max(1, capacity / 2);
          // The simulator's own paths (100 copiers' handshakes, its visits, its document check)
          // run first here: they get a warm-up at the same rate, not measured, and said so.
          int loadWarmup = Integer.getInteger("figures.load.warmup", Math.max(10, loadSeconds / 3));
          ProcessCpu.Snapshot load0 = ProcessCpu.snapshot();
          String answer;
          org.HdrHistogram.Histogram forced;
          try (FileForces forces = new FileForces()) {
            answer = child.run(String.format(Locale.ROOT, "load %.2f %d %d %d", rate, loadSeconds, loadWarmup, loadTerminals));
            forced = forces.durationsAfterFlush();
          }
          ProcessCpu.Split server = ProcessCpu.between(load0, ProcessCpu.snapshot());
          String[] a = answer.split(" ");
          other(
              String.format(Locale.ROOT, "sim load at half the capacity: %.1f arrivals/s, %d s after a %d s warm-up at that rate (not measured), %d copiers, default scenario mix",
                  rate, loadSeconds, loadWarmup, loadTerminals),
              "p99 " + a[5] + " ms",
              "end to end from the intended start: p50 " + a[3] + ", p99.9 " + a[7] + ", max " + a[9] + " ms; " + a[1] + " documents at " + a[11]
                  + " /s; misissuance " + a[13]);
          // Whose CPU the run took (warm-up included): the server's JIT and GC apart from the
          // simulator's own, which shares the same cores and is in the end-to-end figure too.
          long copierCpu = Long.parseLong(a[15]);
          other(
              "CPU during sim load (warm-up included): server / copiers' JVM",
              String.format(Locale.ROOT, "%.1f s / %.1f s", server.total() / 1e9, copierCpu / 1e9),
              String.format(Locale.ROOT,
                  "server: JIT %.1f %%, GC %.1f %% (%d collections, %d ms of pauses); copiers' JVM: JIT %.1f %%, GC %.1f %% (%d collections, %d ms of pauses)",
                  100.0 * server.jit() / Math.max(1, server.total()), 100.0 * server.gc() / Math.max(1, server.total()), server.gcCount(), server.gcMillis(),
                  100.0 * Long.parseLong(a[17]) / Math.max(1, copierCpu), 100.0 * Long.parseLong(a[19]) / Math.max(1, copierCpu),
                  Long.parseLong(a[21]), Long.parseLong(a[23])));
          // The journal's syncs wait on the disk: how long each took while the load ran.
          other(
              "fsyncs during sim load (warm-up included; every FileChannel.force in the server, JFR jdk.FileForce)",
              String.format(Locale.ROOT, "p99 %.1f ms", forced.getValueAtPercentile(99) / 1e3),
              String.format(Locale.ROOT, "%d forces: p50 %.1f, p90 %.1f, max %.1f ms", forced.getTotalCount(), forced.getValueAtPercentile(50) / 1e3,
                  forced.getValueAtPercentile(90) / 1e3, forced.getMaxValue() / 1e3));
          target(
              String.format(Locale.ROOT, "p99 end to end at half the measured capacity (`sim load`, %.1f /s of %.1f /s)", rate, capacity),
              a[5] + " ms",
              "≤ 100 ms");
        }
        child.run("quit");
      } finally {
        bare.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        bareJdk.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        if (bareOpenSsl != null) {
          bareOpenSsl.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    }
    if (Boolean.parseBoolean(System.getProperty("figures.journal", "true"))) {
      journal();
    }
    print();
  }

  /**
   * The journal alone, durable: {@link JournalBenchmark#issuance} on each database with each of
   * {@code figures.journal.threads} (8 and 64: a few copiers, and as many issuances in flight as a
   * loaded gateway has), through JMH (its own forked JVM, warmed up), and the syncs to disk per
   * issuance it counted.
   */
  private void journal() throws Exception {
    Path syncs = Files.createTempFile("kofu-figures-journal-", "");
    for (String t : System.getProperty("figures.journal.threads", "8,64").split(",")) {
      journal(Integer.parseInt(t.strip()), syncs);
    }
    Files.deleteIfExists(syncs);
  }

  private void journal(int threads, Path syncs) throws Exception {
    List<String> rates = new ArrayList<>();
    double postgresRate = Double.NaN;
    for (String database : List.of("h2-file", "postgresql")) {
      org.openjdk.jmh.runner.options.Options options =
          jmh(JournalBenchmark.class.getName() + ".issuance$", threads)
              .param("database", database)
              .jvmArgsAppend("-Djournal.setup.issuances=50", "-Djournal.syncs.out=" + syncs)
              .build();
      double rate = Double.NaN;
      String perIssuance = "?";
      try {
        for (org.openjdk.jmh.results.RunResult r : new org.openjdk.jmh.runner.Runner(options).run()) {
          rate = r.getPrimaryResult().getScore();
        }
        String[] counted = Files.readString(Path.of(syncs + "." + database)).trim().split(" ");
        perIssuance = String.format(Locale.ROOT, "%.3f", Double.parseDouble(counted[1]) / Double.parseDouble(counted[0]));
      } catch (org.openjdk.jmh.runner.RunnerException | IOException | RuntimeException e) {
        System.err.println("figures: journal on " + database + " not measured: " + e);
      } finally {
        Files.deleteIfExists(Path.of(syncs + "." + database));
      }
      String name = database.equals("h2-file") ? "embedded default (H2 file)" : "PostgreSQL (synchronous_commit=on, fsync=on)";
      other("durable journal, issuances/s, " + name + ", " + threads + " threads (JournalBenchmark.issuance)", String.format(Locale.ROOT, "%.0f /s", rate),
          perIssuance + (database.equals("h2-file") ? " fsyncs per issuance (the journal's counter)" : " WAL syncs per issuance (pg_stat_wal.wal_sync)"));
      rates.add(String.format(Locale.ROOT, "%s %.0f (%s syncs per issuance)", database.equals("h2-file") ? "embedded" : "PostgreSQL", rate, perIssuance));
      if (database.equals("postgresql")) {
        postgresRate = rate;
      }
    }
    double floor = documentFloor(threads);
    if (!Double.isNaN(floor)) {
      other("the document alone on PostgreSQL, " + threads + " threads (DocumentFloorBenchmark: 64 KB inserted and deleted, each committed synchronously)",
          String.format(Locale.ROOT, "%.0f /s", floor),
          "no journal on this machine does better"
              + (Double.isNaN(postgresRate) ? "" : String.format(Locale.ROOT, "; the journal reaches %.2f of it", postgresRate / floor)));
      rates.add(String.format(Locale.ROOT, "the document alone on PostgreSQL %.0f", floor));
    }
    target("durable journal, issuances/s, embedded default and PostgreSQL, " + threads + " threads", String.join(", ", rates), "≥ 1,000");
  }

  /** The journal figures' JMH run of {@code include}: one fork, 2 × 2 s of warm-up, 3 × 3 s measured. */
  private static org.openjdk.jmh.runner.options.ChainedOptionsBuilder jmh(String include, int threads) {
    return new org.openjdk.jmh.runner.options.OptionsBuilder()
        .include(include)
        .threads(threads)
        .forks(1)
        .warmupIterations(2)
        .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(2))
        .measurementIterations(3)
        .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(3));
  }

  /** {@link DocumentFloorBenchmark#document} with {@code threads} threads: the floor under PostgreSQL's journal rate. */
  private static double documentFloor(int threads) {
    org.openjdk.jmh.runner.options.Options options = jmh(DocumentFloorBenchmark.class.getName() + ".document$", threads).build();
    double rate = Double.NaN;
    try {
      for (org.openjdk.jmh.results.RunResult r : new org.openjdk.jmh.runner.Runner(options).run()) {
        rate = r.getPrimaryResult().getScore();
      }
    } catch (org.openjdk.jmh.runner.RunnerException | RuntimeException e) {
      System.err.println("figures: the document floor on PostgreSQL not measured: " + e);
    }
    return rate;
  }

  /**
   * Warms the server up: rounds of {@code perRound} issuances, at least two, until the JIT
   * compiler's share of a round's CPU falls under {@code figures.warmup.jit} (default 0.03) or
   * {@code figures.warmup.rounds} (default 12) rounds have run. Each round's split is printed.
   */
  private static void warmUp(CopierJvm child, int perRound) {
    double quiet = Double.parseDouble(System.getProperty("figures.warmup.jit", "0.03"));
    int most = Integer.getInteger("figures.warmup.rounds", 12);
    for (int round = 1; ; round++) {
      ProcessCpu.Snapshot s0 = ProcessCpu.snapshot();
      child.run("issue " + perRound);
      ProcessCpu.Split w = ProcessCpu.between(s0, ProcessCpu.snapshot());
      double jitShare = (double) w.jit() / Math.max(1, w.total());
      System.err.printf(Locale.ROOT, "figures: warm-up round %d, %d issuances: %.3f ms CPU each, JIT %.1f %%, GC %.1f %%%n", round, perRound,
          w.total() / 1e6 / perRound, 100 * jitShare, 100.0 * w.gc() / Math.max(1, w.total()));
      if (round >= most || (round >= 2 && (!w.known() || jitShare < quiet))) {
        return;
      }
    }
  }

  /** Counts FileChannel.force calls in this process (JFR's jdk.FileForce, every one, no threshold). */
  private static final class FileForces implements AutoCloseable {
    private final jdk.jfr.consumer.RecordingStream stream = new jdk.jfr.consumer.RecordingStream();
    private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong flushes = new java.util.concurrent.atomic.AtomicLong();
    /** How long each force took, microseconds. */
    private final org.HdrHistogram.Recorder durations = new org.HdrHistogram.Recorder(3);

    FileForces() throws InterruptedException {
      stream.enable("jdk.FileForce").withoutThreshold().withStackTrace();
      stream.onEvent("jdk.FileForce", e -> {
        count.incrementAndGet();
        durations.recordValue(Math.max(0, e.getDuration().toNanos() / 1000));
      });
      stream.onFlush(flushes::incrementAndGet);
      stream.startAsync();
      awaitFlush();
    }

    long count() {
      return count.get();
    }

    /** The count once every event recorded before this call has been read. */
    long countAfterFlush() throws InterruptedException {
      awaitFlush();
      awaitFlush();
      return count.get();
    }

    /** The forces' durations since the last call (microseconds), once the events before it are read. */
    org.HdrHistogram.Histogram durationsAfterFlush() throws InterruptedException {
      awaitFlush();
      awaitFlush();
      return durations.getIntervalHistogram();
    }

    private void awaitFlush() throws InterruptedException {
      long f = flushes.get();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (flushes.get() == f && System.nanoTime() < until) {
        Thread.sleep(50);
      }
    }

    @Override
    public void close() {
      stream.close();
    }
  }

  private static long cpuOf(String answer) {
    String[] a = answer.split(" ");
    for (int i = 0; i < a.length - 1; i++) {
      if (a[i].equals("cpu")) {
        return Long.parseLong(a[i + 1]);
      }
    }
    throw new IllegalStateException("no cpu in " + answer);
  }

  private String sigs(double nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / rsaNanos);
  }

  private static String ms(double nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }

  private static String mb(double bytes) {
    return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
  }

  private void target(String what, String value, String target) {
    targets.add(new String[] {what, value, target});
  }

  private void other(String what, String value, String note) {
    others.add(new String[] {what, value, note});
    System.err.printf(Locale.ROOT, "figures: %s: %s (%s)%n", what, value, note);
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
    out.append("\n| figure | value | note |\n|---|---|---|\n");
    for (String[] r : others) {
      out.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    out.append("\nAgainst the targets (issue 14)\n\n| figure | this run | target |\n|---|---|---|\n");
    for (String[] r : targets) {
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
  /** As {@link #inThisProcess}, the JIT compiler's threads left out; their nanoseconds per operation into {@code jit[0]}. */
  private static Cost steadyInThisProcess(Runnable work, int operations, double[] jit) {
    ProcessCpu.Snapshot before = ProcessCpu.snapshot();
    long bytes0 = THREADS.getTotalThreadAllocatedBytes();
    work.run();
    long bytes = THREADS.getTotalThreadAllocatedBytes() - bytes0;
    ProcessCpu.Split cpu = ProcessCpu.between(before, ProcessCpu.snapshot());
    jit[0] = (double) cpu.jit() / operations;
    return new Cost((double) (cpu.total() - cpu.jit()) / operations, (double) bytes / operations, operations);
  }

  private static Cost inThisProcess(Runnable work, int operations) {
    long cpu0 = OS.getProcessCpuTime();
    long bytes0 = THREADS.getTotalThreadAllocatedBytes();
    work.run();
    long cpu = OS.getProcessCpuTime() - cpu0;
    long bytes = THREADS.getTotalThreadAllocatedBytes() - bytes0;
    return new Cost((double) cpu / operations, (double) bytes / operations, operations);
  }

}

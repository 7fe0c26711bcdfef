package jp.kofu.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.IssuedFacts;
import jp.kofu.gateway.journal.JournalAudit;
import jp.kofu.gateway.journal.JournalDatabases;
import jp.kofu.gateway.journal.Digest;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.Relation;
import jp.kofu.storage.Database;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the journal costs an issuance, and what it costs to audit. {@code issuance}: one whole
 * journaled issuance — ORDERED, then ISSUED with its document and binding check, then DELIVERED:
 * three chained transitions and four events, ISSUED and DELIVERED on disk before they return,
 * the document written beside the ISSUED transition — through the journal's group commit, on the
 * embedded H2 file (one fsync per batch) and on PostgreSQL (embedded server, synchronous_commit
 * and fsync on). At the end of each trial it prints the syncs to disk per issuance and how many
 * transitions a group commit carried. Batches form when issuances overlap, so run it with several
 * threads ({@code -t 8}, copiers in flight at once). {@code audit}: verifying a journal of 2,000 issuances (8,000 events).
 *
 * <pre>
 * bench/run JournalBenchmark -t 1
 * bench/run JournalBenchmark.issuance -t 8
 * </pre>
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class JournalBenchmark {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] SECRET = "journal benchmark cluster secret, 32+ bytes".getBytes(StandardCharsets.US_ASCII);

  @Param({"h2-file", "postgresql"})
  public String database;

  /**
   * How issuance ids are made: {@code time-ordered} as the gateway makes them (a ULID: 48 bits of
   * milliseconds first, so that a second's issuances share the B-tree pages at the end of the
   * primary key), or {@code random} (every character random; what this benchmark did before,
   * which puts each issuance's row and event index entries on a page of its own).
   */
  @Param({"time-ordered"})
  public String ids;

  private Path dir;
  private EmbeddedPostgres postgres;
  private Database db;
  private IssuanceJournal journal;
  private JournalAudit audit;
  private byte[] pdf;
  private IssuedFacts facts;
  private final java.util.concurrent.atomic.AtomicLong issuances = new java.util.concurrent.atomic.AtomicLong();
  private long syncsBefore;
  private long cpuBefore;
  private long serverCpuBefore;
  private long batchesBefore;
  private long transitionsBefore;

  @Setup(Level.Trial)
  public void open() throws Exception {
    if (database.equals("postgresql")) {
      // The library turns synchronous_commit off by default: a benchmark of that measures nothing durable.
      postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on").start();
      db = JournalDatabases.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
    } else {
      dir = Files.createTempDirectory("kofu-journal-bench-");
      db = JournalDatabases.openEmbedded(dir);
    }
    journal = new IssuanceJournal(db, IssuanceJournal.chainKey(SECRET));
    pdf = new byte[64 * 1024];
    RANDOM.nextBytes(pdf);
    facts = new IssuedFacts(300, 300, Digest.sha256(pdf), 1, pdf.length, null);
    // The journal the audit verifies; Figures, which measures only the rate, asks for fewer.
    for (int i = 0, n = Integer.getInteger("journal.setup.issuances", 2000); i < n; i++) {
      issuance();
    }
    audit = new JournalAudit(journal);
    issuances.set(0);
    syncsBefore = syncs();
    cpuBefore = processCpuNanos();
    serverCpuBefore = serverCpuNanos();
    batchesBefore = journal.batches();
    transitionsBefore = journal.transitions();
  }

  /**
   * Times the journal's data reached the disk: H2's forced file syncs, or PostgreSQL's WAL
   * syncs (pg_stat_wal.wal_sync, PostgreSQL 14 and later).
   */
  private long syncs() throws java.sql.SQLException {
    if (postgres == null) {
      return journal.syncs();
    }
    try (var c = db.connection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT wal_sync FROM pg_stat_wal")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** CPU time of this JVM (the benchmark's threads and the journal; not PostgreSQL's server processes). */
  private static long processCpuNanos() {
    return ProcessCpu.processNanos();
  }

  /** CPU time of the PostgreSQL server's processes; 0 on H2 (which runs in this JVM). */
  private long serverCpuNanos() throws java.sql.SQLException {
    if (postgres == null) {
      return 0;
    }
    try (var c = db.connection()) {
      return PostgresCpu.nanos(c);
    }
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    long n = issuances.get();
    long cpu = processCpuNanos() - cpuBefore;
    long serverCpu = serverCpuNanos() - serverCpuBefore;
    if (n > 0) {
      System.out.printf("%n[journal %s] JVM CPU per issuance: %.3f ms%n", database, cpu / 1e6 / n);
      if (postgres != null) {
        System.out.printf("[journal %s] PostgreSQL server CPU per issuance: %.3f ms (JVM + server: %.3f ms)%n", database, serverCpu / 1e6 / n, (cpu + serverCpu) / 1e6 / n);
      }
    }
    long synced = syncs() - syncsBefore;
    if (n > 0) {
      long batches = journal.batches() - batchesBefore;
      long transitions = journal.transitions() - transitionsBefore;
      System.out.printf(
          "%n[journal %s] %d issuances, %d syncs to disk: %.3f fsyncs per issuance; %d group commits of %.1f transitions on average%n",
          database, n, synced, (double) synced / n, batches, batches == 0 ? 0.0 : (double) transitions / batches);
      // Figures folds this into its table (a file: the trial runs in a JVM JMH forked).
      String out = System.getProperty("journal.syncs.out");
      if (out != null) {
        Files.writeString(Path.of(out + "." + database), n + " " + synced + "\n", StandardCharsets.US_ASCII);
      }
    }
    db.close();
    if (postgres != null) {
      postgres.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public IssuanceJournal.Confirmation issuance() {
    Instant now = Instant.now();
    String attempt = hex(16);
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    Issuance.Order order =
        new Issuance.Order(
            ids.equals("random") ? randomId() : ulid(now), new UUID(r.nextLong(), r.nextLong()).toString(), digest(), digest(), hex(16), "seven", "store-1", "t-1", "131016", Relation.ADDRESS,
            CertificateType.RESIDENCE, 1, digest());
    Issuance begun = journal.begin(order, attempt, now).issuance();
    journal.markIssued(begun, facts, pdf, now);
    IssuanceJournal.Confirmation s = journal.settle(order.issuanceId(), order.cardKey(), true, null, now);
    issuances.incrementAndGet();
    return s;
  }

  /** Verifies the whole journal of 2,000 issuances made in setup (JMH forks a JVM per benchmark). */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3)
  @Measurement(iterations = 5)
  public JournalAudit.Report audit() {
    JournalAudit.Report r = audit.verify(null);
    if (!r.intact()) {
      throw new IllegalStateException("journal not intact: " + r.findings());
    }
    return r;
  }

  // Ids and digests are test data, not secrets: SecureRandom (a lock around /dev/urandom) was a
  // fifth of this JVM's CPU samples on PostgreSQL, counted as the journal's.
  private static Digest digest() {
    byte[] b = new byte[Digest.LENGTH];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(b);
    return Digest.of(b);
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  private static String randomId() {
    StringBuilder s = new StringBuilder(26);
    for (int i = 0; i < 26; i++) {
      s.append(ALPHABET.charAt(java.util.concurrent.ThreadLocalRandom.current().nextInt(32)));
    }
    return s.toString();
  }

  /** As the gateway's {@code Ulid.next}: ten characters of milliseconds, then sixteen random. */
  private static String ulid(Instant now) {
    char[] out = new char[26];
    long time = now.toEpochMilli();
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (time & 31));
      time >>>= 5;
    }
    for (int i = 10; i < 26; i++) {
      out[i] = ALPHABET.charAt(java.util.concurrent.ThreadLocalRandom.current().nextInt(32));
    }
    return new String(out);
  }
}

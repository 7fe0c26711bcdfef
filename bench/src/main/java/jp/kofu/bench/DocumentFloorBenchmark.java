package jp.kofu.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The floor under {@link JournalBenchmark#issuance} on PostgreSQL: what the held document alone
 * costs there, with nothing of the journal. Each operation inserts a 64 KB document (random bytes,
 * as the journal benchmark's) under a new key and deletes it again, each statement committed on
 * its own and synchronously, so twice on disk, as an issuance is (ISSUED, then DELIVERED); the
 * server flushes concurrent commits together. The same embedded server and settings as the journal
 * benchmark (synchronous_commit and fsync on), a connection per thread, no pool. At the end it
 * prints the CPU per operation of this JVM and of the server.
 *
 * <p>No journal can do better than this on the same machine: the journal's rate divided by this
 * one says how much of the machine the journal's own work (its rows, events, chain and checks)
 * takes. {@link Figures} prints both, with the same threads.
 *
 * <pre>
 * bench/run DocumentFloorBenchmark -t 8
 * bench/run DocumentFloorBenchmark -t 8 -p bytes=1024,16384,65536
 * </pre>
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DocumentFloorBenchmark {
  /** The document's size: 64 KB as the journal benchmark's; smaller sizes show what its bytes cost. */
  @Param({"65536"})
  public int bytes;

  private EmbeddedPostgres postgres;
  private final AtomicLong operations = new AtomicLong();
  private final AtomicLong keys = new AtomicLong();
  private long cpuBefore;
  private long serverCpuBefore;

  @Setup(Level.Trial)
  public void open() throws Exception {
    postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on").start();
    try (Connection c = connection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE held_document (id CHAR(26) PRIMARY KEY, pdf BYTEA NOT NULL)");
      cpuBefore = processCpuNanos();
      serverCpuBefore = PostgresCpu.nanos(c);
    }
  }

  private Connection connection() throws SQLException {
    return postgres.getPostgresDatabase().getConnection();
  }

  /** A thread's connection and document. */
  @State(Scope.Thread)
  public static class Client {
    Connection connection;
    PreparedStatement insert;
    PreparedStatement delete;
    byte[] pdf;

    @Setup(Level.Trial)
    public void open(DocumentFloorBenchmark benchmark) throws SQLException {
      pdf = new byte[benchmark.bytes];
      ThreadLocalRandom.current().nextBytes(pdf);
      connection = benchmark.connection();
      insert = connection.prepareStatement("INSERT INTO held_document (id, pdf) VALUES (?, ?)");
      delete = connection.prepareStatement("DELETE FROM held_document WHERE id = ?");
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      connection.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public int document(Client client) throws SQLException {
    // Keys in the order they are made, as the journal's time-ordered issuance ids are.
    String id = String.format(java.util.Locale.ROOT, "%026d", keys.incrementAndGet());
    client.insert.setString(1, id);
    client.insert.setBytes(2, client.pdf);
    int n = client.insert.executeUpdate();
    client.delete.setString(1, id);
    n += client.delete.executeUpdate();
    operations.incrementAndGet();
    return n;
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    long n = operations.get();
    try (Connection c = connection()) {
      long serverCpu = PostgresCpu.nanos(c) - serverCpuBefore;
      long cpu = processCpuNanos() - cpuBefore;
      if (n > 0) {
        System.out.printf("%n[document floor, %d bytes] JVM CPU per document: %.3f ms; PostgreSQL server CPU per document: %.3f ms (JVM + server: %.3f ms)%n",
            bytes, cpu / 1e6 / n, serverCpu / 1e6 / n, (cpu + serverCpu) / 1e6 / n);
      }
    }
    postgres.close();
  }

  private static long processCpuNanos() {
    return ProcessCpu.processNanos();
  }
}

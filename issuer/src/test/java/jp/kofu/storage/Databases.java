package jp.kofu.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import jp.kofu.testing.LeakCheck;

/**
 * Test databases of both kinds kofu supports: an embedded H2 and a real PostgreSQL server (binaries
 * from Maven, started once per test JVM). A test that stores data runs against both.
 */
public final class Databases {
  private Databases() {}

  /** Which database a parameterized test runs on. */
  public enum Kind {
    H2,
    POSTGRESQL
  }

  private static final class Postgres {
    static final EmbeddedPostgres SERVER = start();

    private static EmbeddedPostgres start() {
      try {
        // Its data lives as long as the JVM, in the temporary directory: not a test's leak.
        java.nio.file.Path data = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "kofu-shared-postgres-" + UUID.randomUUID());
        LeakCheck.sharedTemporary(data);
        EmbeddedPostgres pg = durable(EmbeddedPostgres.builder()).setDataDirectory(data).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            pg.close();
          } catch (IOException e) {
            // the JVM is going away
          }
        }));
        return pg;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
    }
  }

  /**
   * The embedded server as production runs PostgreSQL: a commit returns only once its WAL is
   * flushed to disk. (The library's default turns {@code synchronous_commit} off, which makes
   * tests and benchmarks fast and a power cut lose acknowledged commits.)
   */
  public static EmbeddedPostgres.Builder durable(EmbeddedPostgres.Builder builder) {
    return builder.setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on");
  }

  /** The embedded server's setting {@code name} (SHOW), for tests that check it. */
  public static String postgresSetting(String name) {
    try (var c = Postgres.SERVER.getPostgresDatabase().getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh, empty database of this kind, migrated with {@code migrations}. */
  public static Database fresh(Kind kind, String migrations) {
    String name = "kofu_" + UUID.randomUUID().toString().replace("-", "");
    return switch (kind) {
      case H2 -> Database.open(Database.h2MemoryUrl(name), "sa", "", migrations, 8);
      case POSTGRESQL -> {
        EmbeddedPostgres pg = Postgres.SERVER;
        try (var c = pg.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
          s.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
        yield Database.open(pg.getJdbcUrl("postgres", name), "postgres", "postgres", migrations, 8);
      }
    };
  }
}

package jp.kofu.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A pooled, migrated database. Open one with {@link #open}; SQL written for it must run on both
 * H2 (in PostgreSQL mode) and PostgreSQL.
 */
public final class Database implements AutoCloseable {
  /** SQLSTATE of a unique-constraint violation, the same on H2 and PostgreSQL. */
  public static final String UNIQUE_VIOLATION = "23505";

  private final HikariDataSource dataSource;
  private final Dialect dialect;

  public enum Dialect {
    H2,
    POSTGRESQL
  }

  private Database(HikariDataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  /** Statements each H2 session keeps parsed (H2's own default is 8). */
  static final int H2_QUERY_CACHE = 64;

  /** The embedded default: an H2 database in {@code file} (without extension). */
  public static String h2FileUrl(Path file) {
    return "jdbc:h2:file:" + file.toAbsolutePath()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
  }

  /** An H2 database in memory, alive until the last connection closes (tests). */
  public static String h2MemoryUrl(String name) {
    return "jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
  }

  /**
   * Opens and migrates a database.
   *
   * @param url a jdbc:h2: or jdbc:postgresql: URL
   * @param migrations Flyway location of the schema, e.g. "classpath:db/registry"
   * @param poolSize maximum connections
   */
  public static Database open(String url, String user, String password, String migrations, int poolSize) {
    Objects.requireNonNull(url, "url");
    Dialect dialect;
    if (url.startsWith("jdbc:h2:")) {
      dialect = Dialect.H2;
      if (!url.toUpperCase(java.util.Locale.ROOT).contains(";QUERY_CACHE_SIZE=")) {
        // H2 parses a statement again unless it is among the session's last 8 (its default); the
        // registry's reads for one issuance are more than that, and parsing them again was 2.3 %
        // of the server's CPU per issuance (and a tenth of its allocation).
        url = url + ";QUERY_CACHE_SIZE=" + H2_QUERY_CACHE;
      }
    } else if (url.startsWith("jdbc:postgresql:")) {
      dialect = Dialect.POSTGRESQL;
    } else {
      throw new IllegalArgumentException("database url: '" + redact(url) + "' (expected: jdbc:h2:... or jdbc:postgresql:...)");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setPoolName("kofu-" + migrations.substring(migrations.lastIndexOf('/') + 1));
    config.setAutoCommit(true);
    config.setConnectionTimeout(10_000);
    if (dialect == Dialect.POSTGRESQL) {
      // One multi-row INSERT per batch instead of one round trip per row (the seed tool's batches).
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
    }
    HikariDataSource ds = new HikariDataSource(config);
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations(migrations)
          .table("schema_history")
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return new Database(ds, dialect);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Dialect dialect() {
    return dialect;
  }

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /** Work that runs in one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in a transaction: committed if it returns, rolled back if it throws. */
  public <T> T inTransaction(Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** Maps the current row of a result. */
  @FunctionalInterface
  public interface Row<T> {
    T map(java.sql.ResultSet rs) throws SQLException;
  }

  /** Every row {@code sql} selects with {@code args} bound in order, mapped. */
  public <T> java.util.List<T> list(String sql, Row<T> row, Object... args) throws SQLException {
    try (Connection c = dataSource.getConnection();
        java.sql.PreparedStatement s = prepare(c, sql, args);
        java.sql.ResultSet rs = s.executeQuery()) {
      java.util.List<T> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(row.map(rs));
      }
      return out;
    }
  }

  /** The first row {@code sql} selects, mapped, if there is one. */
  public <T> java.util.Optional<T> first(String sql, Row<T> row, Object... args) throws SQLException {
    try (Connection c = dataSource.getConnection();
        java.sql.PreparedStatement s = prepare(c, sql, args);
        java.sql.ResultSet rs = s.executeQuery()) {
      return rs.next() ? java.util.Optional.of(row.map(rs)) : java.util.Optional.empty();
    }
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the rows it changed. */
  public int update(String sql, Object... args) throws SQLException {
    try (Connection c = dataSource.getConnection();
        java.sql.PreparedStatement s = prepare(c, sql, args)) {
      return s.executeUpdate();
    }
  }

  private static java.sql.PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
    java.sql.PreparedStatement s = c.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      return s;
    } catch (SQLException e) {
      s.close();
      throw e;
    }
  }

  public static boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** The URL without credentials, for messages. */
  public static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  @Override
  public void close() {
    dataSource.close();
  }
}

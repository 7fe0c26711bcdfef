package jp.kofu.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import jp.kofu.gateway.config.ConfigException;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.JournalDatabases;
import jp.kofu.storage.Database;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --data DIR} or {@code --config FILE}: the journal that a gateway of this world writes,
 * opened with the world's chain key, for the tools that read it (settle, audit).
 */
final class JournalAccess {
  @Mixin DataDir data;

  @Option(names = "--config", paramLabel = "FILE", description = "A kofu-gateway.yaml: its journal (and data directory) replace --data.")
  Path configFile;

  /** Why the journal cannot be opened, for the user. */
  static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message);
    }
  }

  /** An open journal; close it to release the database. */
  record Opened(GatewayConfig config, Database database, IssuanceJournal journal) implements AutoCloseable {
    @Override
    public void close() {
      database.close();
    }
  }

  Opened open() throws Unavailable {
    GatewayConfig config;
    try {
      config = configFile != null ? GatewayConfig.load(configFile) : GatewayConfig.defaults(data.dir);
    } catch (ConfigException e) {
      throw new Unavailable(e.getMessage());
    }
    jp.kofu.gateway.auth.Keyring journalKeys = null;
    if (config.secrets() != null) {
      try {
        journalKeys = new jp.kofu.gateway.config.TrustFiles(java.time.Clock.systemUTC()).keyring("secrets.journal", config.secrets().journal());
      } catch (ConfigException e) {
        throw new Unavailable(configFile + ": " + e.getMessage());
      }
    }
    Path secretFile = EmbeddedWorld.secretFile(config.data());
    if (journalKeys == null && !Files.isRegularFile(secretFile)) {
      throw new Unavailable("no cluster secret at " + secretFile + ": is " + config.data() + " a kofu data directory? (./kofu demo or ./kofu gateway makes one)");
    }
    if (config.journal().url() == null && !Files.exists(config.data().resolve("gateway").resolve("journal.mv.db"))) {
      throw new Unavailable("no journal in " + config.data().resolve("gateway") + " (no gateway has run on this data directory)");
    }
    if (journalKeys == null) {
      try {
        journalKeys = jp.kofu.gateway.auth.Keyring.of("development", Files.readAllBytes(secretFile));
      } catch (IOException e) {
        throw new Unavailable("cannot read " + secretFile + ": " + e.getMessage());
      }
    }
    Database db;
    try {
      db = JournalDatabases.open(config);
    } catch (RuntimeException e) {
      if (h2InUse(e)) {
        throw new Unavailable(
            "the embedded journal is open in a running gateway; stop it first (with the journal on PostgreSQL, tools read it while gateways run)");
      }
      throw new Unavailable("cannot open the journal: " + rootMessage(e));
    }
    return new Opened(config, db, new IssuanceJournal(db, journalKeys));
  }

  private static boolean h2InUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // H2's DATABASE_ALREADY_OPEN_1: another process holds the file lock.
      if (t instanceof SQLException s && s.getErrorCode() == 90020) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}

package jp.kofu.gateway.journal;

import java.nio.file.Path;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.storage.Database;

/** Opens the journal's database, migrated. */
public final class JournalDatabases {
  /**
   * H2 keeps commits in memory for up to WRITE_DELAY (500 ms by default) before writing them to
   * the file, so a killed process loses commits it had acknowledged; 0 writes each commit before
   * it returns. Appends queue on the chain head, so waits for a lock may be long under load.
   */
  static final String H2_DURABLE = ";WRITE_DELAY=0;LOCK_TIMEOUT=10000";

  private JournalDatabases() {}

  /** The embedded default: H2 in {@code dir/journal}. */
  public static Database openEmbedded(Path dir) {
    return Database.open(Database.h2FileUrl(dir.resolve("journal")) + H2_DURABLE, "sa", "", IssuanceJournal.MIGRATIONS, 16);
  }

  public static Database open(String url, String user, String password) {
    return Database.open(url, user, password, IssuanceJournal.MIGRATIONS, 16);
  }

  /** The journal a configuration names: its database, else the embedded one in DATA/gateway. */
  public static Database open(GatewayConfig config) {
    return config.journal().url() == null
        ? openEmbedded(config.data().resolve("gateway"))
        : open(config.journal().url(), config.journal().user(), config.journalPassword());
  }
}

package jp.kofu.gateway.journal;

import java.nio.file.Path;
import jp.kofu.storage.Database;

/** Opens the journal's database, migrated. */
public final class JournalDatabases {
  private JournalDatabases() {}

  /** The embedded default: H2 in {@code dir/journal}. */
  public static Database openEmbedded(Path dir) {
    return Database.open(Database.h2FileUrl(dir.resolve("journal")), "sa", "", IssuanceJournal.MIGRATIONS, 16);
  }

  public static Database open(String url, String user, String password) {
    return Database.open(url, user, password, IssuanceJournal.MIGRATIONS, 16);
  }
}

package jp.kofu.gateway.journal;

import java.nio.file.Path;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.storage.Database;

/** Opens the journal's database, migrated. */
public final class JournalDatabases {
  /**
   * The embedded H2's settings.
   *
   * <ul>
   *   <li>{@code WRITE_DELAY=0}: H2 otherwise keeps commits in memory for up to 500 ms, so a killed
   *       process loses commits it had acknowledged; 0 writes each commit to the file (the page
   *       cache, not the disk: {@link GroupCommit} forces it to disk before anyone is told). It also
   *       means no background writer, so no background compaction.
   *   <li>{@code MAX_COMPACT_TIME=0}: no compaction when the database closes. H2 2.3.232's
   *       compaction on close can drop the newest chunks' data, so that the next open no longer
   *       sees commits the one before saw (h2database issue 4247, fixed upstream in 2.4.240 by
   *       pull request 4249): a gateway stopped gracefully, then {@code audit verify}, then
   *       {@code settle} found its last REPLAYED and DELIVERED events gone. Dead chunks are still
   *       freed and their space reused, so the file does not grow without bound.
   *   <li>{@code LOCK_TIMEOUT=10000}: appends queue on the chain head, so waits for a lock may be
   *       long under load.
   * </ul>
   */
  static final String H2_DURABLE = ";WRITE_DELAY=0;MAX_COMPACT_TIME=0;LOCK_TIMEOUT=10000";

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

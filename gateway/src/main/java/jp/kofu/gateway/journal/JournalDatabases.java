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
   *   <li>{@code WRITE_DELAY=500} (H2's default): a commit stays in memory; H2's background
   *       writer stores it within 500 ms, and {@link GroupCommit} stores and fsyncs it ({@code
   *       CHECKPOINT SYNC}) before anyone is told of a durable transition. So what the copier
   *       was told survives a kill and a power cut; what nobody was told yet (an order journaled,
   *       a document staged, a challenge spent) may be forgotten by either, as it may by a power
   *       cut on PostgreSQL with {@code synchronous_commit} off. With {@code WRITE_DELAY=0}, as
   *       before, every commit wrote its own chunk to the file: serialising the changed pages
   *       was over half of the journal's CPU per issuance, for writes no one waited for.
   *   <li>{@code AUTO_COMPACT_FILL_RATE=0}: the background writer never rewrites live chunks
   *       (compaction); dead chunks are still freed and their space reused.
   *   <li>{@code MAX_COMPACT_TIME=0}: no compaction when the database closes. H2 2.3.232's
   *       compaction on close can drop the newest chunks' data, so that the next open no longer
   *       sees commits the one before saw (h2database issue 4247, fixed upstream in 2.4.240 by
   *       pull request 4249): a gateway stopped gracefully, then {@code audit verify}, then
   *       {@code settle} found its last REPLAYED and DELIVERED events gone.
   *   <li>{@code LOCK_TIMEOUT=10000}: appends queue on the chain head, so waits for a lock may be
   *       long under load.
   *   <li>{@code QUERY_CACHE_SIZE=64}: H2 keeps this many parsed statements per connection (8 by
   *       default, fewer than the journal's statements, so it parsed most of them every time).
   * </ul>
   */
  static final String H2_DURABLE = ";WRITE_DELAY=500;AUTO_COMPACT_FILL_RATE=0;MAX_COMPACT_TIME=0;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64";

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

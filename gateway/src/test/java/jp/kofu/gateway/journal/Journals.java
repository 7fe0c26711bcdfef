package jp.kofu.gateway.journal;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import jp.kofu.pki.X509;
import jp.kofu.storage.Database;
import jp.kofu.storage.Databases;

/** A fresh journal of either kind, and orders and documents to fill it with, for tests. */
final class Journals implements AutoCloseable {
  static final byte[] SECRET = "kofu test cluster secret, 32+ bytes long".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final AtomicLong COUNTER = new AtomicLong();
  private static final SecureRandom RANDOM = new SecureRandom();

  final Database db;
  final IssuanceJournal journal;

  Journals(Databases.Kind kind) {
    this.db = Databases.fresh(kind, IssuanceJournal.MIGRATIONS);
    this.journal = new IssuanceJournal(db, IssuanceJournal.chainKey(SECRET));
  }

  JournalAudit.Report audit() {
    return new JournalAudit(journal).verify(null);
  }

  /** A new order at a terminal of {@code chain}, for municipality {@code code}. */
  static NewOrder order(String chain, String code, int copies) {
    long n = COUNTER.incrementAndGet();
    return new NewOrder(
        issuanceId(),
        "order-" + UUID.randomUUID(),
        hex(32),
        hex(32),
        hex(16),
        chain,
        "store-" + (n % 3),
        "terminal-" + (n % 5),
        code,
        "ADDRESS",
        "RESIDENCE",
        copies,
        hex(32));
  }

  static NewOrder order() {
    return order("seven", "131016", 1);
  }

  /** What the gateway journals of a verified document of {@code bytes}. */
  static IssuedFacts facts(int feePerCopy, int copies, byte[] pdf) {
    return new IssuedFacts(feePerCopy, feePerCopy * copies, HexFormat.of().formatHex(X509.sha256(pdf)), 1, pdf.length, null);
  }

  static byte[] pdf() {
    byte[] b = new byte[256];
    RANDOM.nextBytes(b);
    return b;
  }

  static String attempt() {
    return hex(16);
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static String issuanceId() {
    return TestIds.issuanceId();
  }

  /** An order taken to ISSUED; returns its id. */
  String issued(NewOrder order, int feePerCopy, Instant at) {
    String attempt = attempt();
    journal.begin(order, attempt, at);
    byte[] pdf = pdf();
    if (!journal.markIssued(order.issuanceId(), attempt, facts(feePerCopy, order.copies(), pdf), pdf, at)) {
      throw new IllegalStateException("not issued");
    }
    return order.issuanceId();
  }

  @Override
  public void close() {
    db.close();
  }
}

package jp.kofu.gateway.journal;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.Relation;
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
  static Issuance.Order order(String chain, String code, int copies) {
    long n = COUNTER.incrementAndGet();
    return new Issuance.Order(
        issuanceId(),
        "order-" + UUID.randomUUID(),
        digest(),
        digest(),
        hex(16),
        chain,
        "store-" + (n % 3),
        "terminal-" + (n % 5),
        code,
        Relation.ADDRESS,
        CertificateType.RESIDENCE,
        copies,
        digest());
  }

  /** The same order under another issuance id (a second attempt's first begin). */
  static Issuance.Order again(Issuance.Order o) {
    return new Issuance.Order(
        issuanceId(), o.orderId(), o.orderDigest(), o.cardKey(), o.sessionId(), o.storeChain(), o.store(), o.terminal(),
        o.municipalityCode(), o.relation(), o.certificateType(), o.copies(), o.binding());
  }

  static Digest digest() {
    byte[] b = new byte[Digest.LENGTH];
    RANDOM.nextBytes(b);
    return Digest.of(b);
  }

  static Issuance.Order order() {
    return order("seven", "131016", 1);
  }

  /** What the gateway journals of a verified document of {@code bytes}. */
  static IssuedFacts facts(int feePerCopy, int copies, byte[] pdf) {
    return new IssuedFacts(feePerCopy, feePerCopy * copies, Digest.sha256(pdf), 1, pdf.length, null);
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
  String issued(Issuance.Order order, int feePerCopy, Instant at) {
    Issuance begun = journal.begin(order, attempt(), at).issuance();
    byte[] pdf = pdf();
    journal.markIssued(begun, facts(feePerCopy, order.copies(), pdf), pdf, at).orElseThrow(() -> new IllegalStateException("not issued"));
    return order.issuanceId();
  }

  @Override
  public void close() {
    db.close();
  }
}

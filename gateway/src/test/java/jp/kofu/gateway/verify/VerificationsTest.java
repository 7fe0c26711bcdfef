package jp.kofu.gateway.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import jp.kofu.testing.FakeClock;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.IssuedFacts;
import jp.kofu.gateway.journal.NewOrder;
import jp.kofu.issuer.document.VerificationLink;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.storage.Database;
import jp.kofu.storage.Databases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Codes in the journal (V20) and what they answer, on H2 and on PostgreSQL. */
class VerificationsTest {
  static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();

  /** Writes orders the way the gateway does. */
  record IssanceHelper(IssuanceJournal journal, FakeClock clock) {
    String issue(String code, Boolean printed) {
      String id = String.format("01KOFU%020d", Math.abs((long) code.hashCode()) + COUNTER.incrementAndGet());
      String attempt = "a".repeat(32);
      journal.begin(
          new NewOrder(id, "order-" + id, "d".repeat(64), "c".repeat(64), "s".repeat(32), "chain", "store", "t1", "131016",
              "ADDRESS", "RESIDENCE", 1, "b".repeat(64)),
          attempt, clock.instant());
      boolean marked =
          journal.markIssued(id, attempt, new IssuedFacts(200, 200, "e".repeat(64), 1, 1000, code), new byte[] {1, 2, 3}, clock.instant());
      assertThat(marked).isTrue();
      if (printed != null) {
        journal.settle(id, "c".repeat(64), printed, printed ? null : "PAPER_JAM", clock.instant());
      }
      return id;
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void answersFromTheJournal(Databases.Kind kind) throws Exception {
    FakeClock clock = new FakeClock(Instant.parse("2026-11-26T01:00:00Z"));
    try (Database db = Databases.fresh(kind, IssuanceJournal.MIGRATIONS)) {
      IssuanceJournal journal = new IssuanceJournal(db, IssuanceJournal.chainKey(new byte[32]));
      IssanceHelper h = new IssanceHelper(journal, clock);
      Verifications v = new Verifications(journal, clock, Duration.ofDays(90), 1000);
      String delivered = VerificationLink.newCode();
      String voided = VerificationLink.newCode();
      String id = h.issue(delivered, true);
      h.issue(voided, false);

      Verification genuine = v.verify(delivered.toLowerCase(), null, CLIENT);
      assertThat(genuine.status()).isEqualTo(Verification.Status.GENUINE);
      assertThat(genuine.documentNumber()).isEqualTo(id);
      assertThat(genuine.municipalityName()).isEqualTo("東京都千代田区");
      assertThat(genuine.validUntil()).isEqualTo(genuine.issuedAt().plus(Duration.ofDays(90)));
      assertThat(v.verify(delivered, HexFormat.of().parseHex("e".repeat(64)), CLIENT).status()).isEqualTo(Verification.Status.GENUINE);
      assertThat(v.verify(delivered, HexFormat.of().parseHex("f".repeat(64)), CLIENT).status()).isEqualTo(Verification.Status.DIGEST_MISMATCH);
      assertThat(v.verify(voided, null, CLIENT).status()).isEqualTo(Verification.Status.VOIDED);

      KofuException unknown = catchThrowableOfType(KofuException.class, () -> v.verify(VerificationLink.newCode(), null, CLIENT));
      assertThat(unknown.reason()).isEqualTo(Reason.VERIFICATION_CODE_UNKNOWN);

      // One code, one document: the journal refuses a second issuance with the same code.
      assertThat(catchThrowableOfType(RuntimeException.class, () -> h.issue(delivered, null))).isNotNull();

      clock.forward(Duration.ofDays(90));
      assertThat(v.verify(delivered, null, CLIENT).status()).isEqualTo(Verification.Status.EXPIRED);
      assertThat(v.verify(delivered, null, CLIENT).municipalityCode()).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void lookupsPerAddressRefillWithTime(Databases.Kind kind) throws Exception {
    FakeClock clock = new FakeClock(Instant.parse("2026-11-26T01:00:00Z"));
    try (Database db = Databases.fresh(kind, IssuanceJournal.MIGRATIONS)) {
      Verifications v = new Verifications(new IssuanceJournal(db), clock, Duration.ofDays(90), 3);
      InetAddress other = InetAddress.getByAddress(new byte[] {10, 0, 0, 7});
      for (int i = 0; i < 3; i++) {
        assertThat(catchThrowableOfType(KofuException.class, () -> v.verify("ZZZZ-ZZZZ-ZZZZ", null, CLIENT)).reason())
            .isEqualTo(Reason.VERIFICATION_CODE_UNKNOWN);
      }
      KofuException limited = catchThrowableOfType(KofuException.class, () -> v.verify("ZZZZ-ZZZZ-ZZZZ", null, CLIENT));
      assertThat(limited.reason()).isEqualTo(Reason.RATE_LIMITED);
      assertThat(Long.parseLong(limited.metadata().get("retry_after_ms"))).isBetween(1L, 20_000L);
      // Another address is not affected; a third of a minute later one more lookup is allowed.
      assertThat(catchThrowableOfType(KofuException.class, () -> v.verify("ZZZZ-ZZZZ-ZZZZ", null, other)).reason())
          .isEqualTo(Reason.VERIFICATION_CODE_UNKNOWN);
      clock.forward(Duration.ofSeconds(20));
      assertThat(catchThrowableOfType(KofuException.class, () -> v.verify("ZZZZ-ZZZZ-ZZZZ", null, CLIENT)).reason())
          .isEqualTo(Reason.VERIFICATION_CODE_UNKNOWN);
      // A malformed code is refused as such (and counted: guessing costs the same either way).
      clock.forward(Duration.ofMinutes(1));
      assertThat(catchThrowableOfType(KofuException.class, () -> v.verify("1234", null, CLIENT)).reason()).isEqualTo(Reason.FIELD_INVALID);
    }
  }
}

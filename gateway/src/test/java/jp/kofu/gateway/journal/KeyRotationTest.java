package jp.kofu.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import jp.kofu.gateway.auth.Keyring;
import jp.kofu.gateway.auth.SessionClaims;
import jp.kofu.gateway.auth.SessionTokens;
import jp.kofu.gateway.auth.TerminalIdentity;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.storage.Databases;
import org.junit.jupiter.api.Test;

/** Rotating the session key and the journal key without downtime. */
class KeyRotationTest {
  static final Keyring.Key OLD = new Keyring.Key("s1", "the old session key, 32 bytes or more".getBytes());
  static final Keyring.Key NEW = new Keyring.Key("s2", "the new session key, 32 bytes or more".getBytes());
  static final TerminalIdentity TERMINAL = new TerminalIdentity("seven", "store-1", "copier-1");

  @Test
  void aTokenMintedWithTheOldKeyStaysValidUntilItExpiresAndNewOnesUseTheNewKey() {
    Instant t0 = Instant.parse("2025-06-02T01:00:00Z");
    Clock clock = Clock.fixed(t0, ZoneOffset.UTC);
    SessionTokens before = new SessionTokens(new Keyring(OLD, List.of()), "session", clock, Duration.ofMinutes(15));
    byte[] oldToken = before.encode(before.newSession(TERMINAL, new CardRef("01", "ab", CardRef.CredentialKind.CARD), "131016"));

    SessionTokens after = new SessionTokens(new Keyring(NEW, List.of(OLD)), "session", clock, Duration.ofMinutes(15));
    SessionClaims opened = after.open(oldToken, TERMINAL);
    assertThat(opened.addressMunicipality()).isEqualTo("131016");
    byte[] newToken = after.encode(after.newSession(TERMINAL, new CardRef("02", "ab", CardRef.CredentialKind.CARD), "131016"));
    // Made with the new key: a gateway that knows only the old one refuses it.
    assertThatThrownBy(() -> before.open(newToken, TERMINAL))
        .isInstanceOfSatisfying(KofuException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SESSION_INVALID));
    // Once the old key is dropped, its tokens are refused.
    SessionTokens dropped = new SessionTokens(new Keyring(NEW, List.of()), "session", clock, Duration.ofMinutes(15));
    assertThatThrownBy(() -> dropped.open(oldToken, TERMINAL)).isInstanceOf(KofuException.class);
    // And the old token still expires when it said.
    SessionTokens later =
        new SessionTokens(new Keyring(NEW, List.of(OLD)), "session", Clock.fixed(t0.plus(Duration.ofMinutes(16)), ZoneOffset.UTC), Duration.ofMinutes(15));
    assertThatThrownBy(() -> later.open(oldToken, TERMINAL))
        .isInstanceOfSatisfying(KofuException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SESSION_EXPIRED));
  }

  @Test
  void aChainWrittenBeforeTheJournalKeyRotationStillAudits() {
    Keyring.Key j1 = new Keyring.Key("j1", Journals.SECRET);
    Keyring.Key j2 = new Keyring.Key("j2", "the journal's next key, 32 bytes long".getBytes());
    try (Journals j = new Journals(Databases.Kind.H2)) {
      // Written under j1 (Journals' own key).
      j.issued(Journals.order(), 300, Instant.parse("2025-06-02T01:00:00Z"));
      IssuanceJournal rotated = new IssuanceJournal(j.db, new Keyring(j2, List.of(j1)));
      Issuance.Order o = Journals.order("lawson", "131016", 1);
      rotated.begin(o, "attempt-1", Instant.parse("2025-06-02T02:00:00Z"));
      JournalAudit.Report report = new JournalAudit(rotated).verify(null);
      assertThat(report.findings()).isEmpty();
      assertThat(report.events()).isGreaterThan(3);
      // Without the old key the events before the rotation no longer match their hashes: the
      // previous keys are what keeps the old chain auditable.
      assertThat(new JournalAudit(new IssuanceJournal(j.db, new Keyring(j2, List.of()))).verify(null).findings()).isNotEmpty();
    }
  }
}

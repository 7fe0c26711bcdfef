package jp.kofu.gateway;

import static jp.kofu.testing.Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import com.zaxxer.hikari.HikariDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.auth.CardFailures;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.proto.kiosk.v1.AuthenticateRequest;
import jp.kofu.proto.kiosk.v1.OpenSessionResponse;
import jp.kofu.proto.type.v1.CredentialKind;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.storage.Database;
import jp.kofu.storage.Databases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The per-terminal rate limit (per gateway) and the per-card lockout (cluster-wide). */
class LimitsTest {
  @RegisterExtension static final GatewayBench bench = GatewayBench.inProcess();

  static long retryAfterMs(StatusRuntimeException e) {
    for (var any : StatusProto.fromThrowable(e).getDetailsList()) {
      if (any.is(ErrorInfo.class)) {
        try {
          return Long.parseLong(any.unpack(ErrorInfo.class).getMetadataOrThrow("retry_after_ms"));
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    throw new AssertionError("no ErrorInfo");
  }

  @Test
  void aTerminalOverItsAllowanceIsRateLimitedUntilItsBucketRefills() {
    Gateway gateway = bench.start(b -> b.terminalRateLimit(5, Duration.ofMinutes(1)));
    Copier busy = bench.copier(gateway, "busy");
    Copier calm = bench.copier(gateway, "calm");
    for (int i = 0; i < 5; i++) {
      busy.openSession();
    }

    StatusRuntimeException e = refusal(busy::openSession);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.RATE_LIMITED);
    // 5 per minute refill one every 12 s.
    assertThat(retryAfterMs(e)).isBetween(11_000L, 12_000L);
    assertThat(calm.openSession().getChallenge().size()).as("another terminal has its own allowance").isEqualTo(64);
    bench.clock.forward(Duration.ofSeconds(12));
    try {
      assertThat(busy.openSession().getChallenge().size()).isEqualTo(64);
      assertThat(KofuException.reasonOf(refusal(busy::openSession))).isEqualTo(Reason.RATE_LIMITED);
    } finally {
      bench.clock.back(Duration.ofSeconds(12));
    }
  }

  static AuthenticateRequest forged(OpenSessionResponse session, SimulatedCard card) throws SimulatedCard.PinException {
    byte[] signature = card.sign("1234", session.getChallenge().toByteArray());
    signature[7] ^= 0x40;
    return request(session, card, signature);
  }

  static AuthenticateRequest request(OpenSessionResponse session, SimulatedCard card, byte[] signature) {
    return AuthenticateRequest.newBuilder()
        .setChallenge(session.getChallenge())
        .setCardCertificate(ByteString.copyFrom(card.certificateDer()))
        .setSignature(ByteString.copyFrom(signature))
        .setCredentialKind(CredentialKind.CREDENTIAL_KIND_CARD)
        .build();
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void repeatedFailuresLockACardOutOfTheWholeCluster(Databases.Kind kind) throws Exception {
    Database first = Databases.fresh(kind, IssuanceJournal.MIGRATIONS);
    HikariDataSource ds = (HikariDataSource) first.dataSource();
    Database second = Database.open(ds.getJdbcUrl(), ds.getUsername(), ds.getPassword(), IssuanceJournal.MIGRATIONS, 4);
    Duration lockout = Duration.ofMinutes(15);
    Gateway a = bench.start(first, b -> b.cardLockout(3, Duration.ofMinutes(10), lockout));
    Gateway b = bench.start(second, g -> g.cardLockout(3, Duration.ofMinutes(10), lockout));
    Copier onA = bench.copier(a, "lockout-a");
    Copier onB = bench.copier(b, "lockout-b");
    SimulatedCard card = bench.card();
    SimulatedCard other = bench.card();

    // Three forged signatures, spread over both gateways.
    for (Copier c : new Copier[] {onA, onB, onA}) {
      StatusRuntimeException e = refusal(() -> call(() -> c.stub().authenticate(forged(c.openSession(), card))));
      assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.SIGNATURE_INVALID);
    }

    // Now even the card's true signature is refused, on either gateway.
    StatusRuntimeException locked = refusal(() -> call(() -> onB.authenticate(onB.openSession(), card, "1234")));
    assertThat(locked.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(KofuException.reasonOf(locked)).isEqualTo(Reason.CARD_LOCKED_OUT);
    assertThat(retryAfterMs(locked)).isBetween(lockout.toMillis() - 1_000, lockout.toMillis());
    assertThat(onA.authenticate(onA.openSession(), other, "1234").getSessionToken().isEmpty()).as("other cards go on").isFalse();

    bench.clock.forward(lockout);
    try {
      assertThat(onA.authenticate(onA.openSession(), card, "1234").getSessionToken().isEmpty()).isFalse();
    } finally {
      bench.clock.back(lockout);
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aTrueSignatureClearsTheFailuresOnEveryGateway(Databases.Kind kind) throws Exception {
    Database first = Databases.fresh(kind, IssuanceJournal.MIGRATIONS);
    HikariDataSource ds = (HikariDataSource) first.dataSource();
    Database second = Database.open(ds.getJdbcUrl(), ds.getUsername(), ds.getPassword(), IssuanceJournal.MIGRATIONS, 4);
    Gateway a = bench.start(first, b -> b.cardLockout(3, Duration.ofMinutes(10), Duration.ofMinutes(15)));
    Gateway b = bench.start(second, g -> g.cardLockout(3, Duration.ofMinutes(10), Duration.ofMinutes(15)));
    Copier onA = bench.copier(a, "clear-a");
    Copier onB = bench.copier(b, "clear-b");
    SimulatedCard card = bench.card();

    // Two failures on A, a success on B clears them; two more on A, and the card is not locked out
    // (four failures in the window, but never three since the last success).
    for (int round = 0; round < 2; round++) {
      for (Copier c : new Copier[] {onA, onA}) {
        StatusRuntimeException e = refusal(() -> call(() -> c.stub().authenticate(forged(c.openSession(), card))));
        assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.SIGNATURE_INVALID);
      }
      assertThat(onB.authenticate(onB.openSession(), card, "1234").getSessionToken().isEmpty()).as("round %d", round).isFalse();
    }
    // After the last success, three failures still lock the card out.
    for (Copier c : new Copier[] {onA, onB, onA}) {
      StatusRuntimeException e = refusal(() -> call(() -> c.stub().authenticate(forged(c.openSession(), card))));
      assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.SIGNATURE_INVALID);
    }
    StatusRuntimeException locked = refusal(() -> call(() -> onB.authenticate(onB.openSession(), card, "1234")));
    assertThat(KofuException.reasonOf(locked)).isEqualTo(Reason.CARD_LOCKED_OUT);
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void failuresOutsideTheWindowDoNotAddUpAndASuccessClearsTheCount(Databases.Kind kind) {
    try (Database db = Databases.fresh(kind, IssuanceJournal.MIGRATIONS)) {
      CardFailures failures = new CardFailures(db);
      java.time.Instant t = java.time.Instant.parse("2026-04-01T00:00:00Z");
      Duration window = Duration.ofMinutes(10);
      Duration lockout = Duration.ofMinutes(15);

      assertThat(failures.recordFailure("k1", t, 3, window, lockout)).isEmpty();
      assertThat(failures.recordFailure("k1", t.plusSeconds(60), 3, window, lockout)).isEmpty();
      assertThat(failures.recordFailure("k1", t.plus(window).plusSeconds(1), 3, window, lockout)).as("a new window").isEmpty();
      assertThat(failures.recordFailure("k1", t.plus(window).plusSeconds(2), 3, window, lockout)).isEmpty();
      failures.clear("k1");
      assertThat(failures.recordFailure("k1", t.plus(window).plusSeconds(3), 3, window, lockout)).isEmpty();
      assertThat(failures.recordFailure("k1", t.plus(window).plusSeconds(4), 3, window, lockout)).isEmpty();
      assertThat(failures.recordFailure("k1", t.plus(window).plusSeconds(5), 3, window, lockout))
          .contains(t.plus(window).plusSeconds(5).plus(lockout));
      assertThat(failures.lockedUntil("k1", t.plus(window).plusSeconds(6))).isPresent();
      assertThat(failures.lockedUntil("k2", t)).isEmpty();
      assertThat(failures.purge(t.plus(window).plus(lockout).plus(window).plusSeconds(10), window)).isEqualTo(1);
    }
  }

  interface Call {
    void run() throws Exception;
  }

  static void call(Call c) {
    try {
      c.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

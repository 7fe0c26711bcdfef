package jp.kofu.gateway;

import static jp.kofu.testing.Refusals.reasonOrNull;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.proto.kiosk.v1.AuthenticateRequest;
import jp.kofu.proto.kiosk.v1.CloseSessionRequest;
import jp.kofu.proto.kiosk.v1.ListOfferingsRequest;
import jp.kofu.proto.kiosk.v1.OpenSessionResponse;
import jp.kofu.proto.type.v1.CredentialKind;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.storage.Database;
import jp.kofu.storage.Databases;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replay across a cluster: two gateways sharing one journal database. A challenge opened on one
 * and used on the other is spent for both; it expires; it and the session it opens are bound to
 * the copier they were given to; a closed session is closed everywhere.
 */
class ClusterReplayTest {
  @RegisterExtension static final GatewayBench shared = GatewayBench.inProcess();

  /** Two gateways, each with its own connection pool to the same journal database. */
  record Cluster(GatewayBench bench, Gateway a, Gateway b) implements AutoCloseable {
    static Cluster start(Databases.Kind kind) {
      GatewayBench bench = shared;
      Database first = Databases.fresh(kind, IssuanceJournal.MIGRATIONS);
      HikariDataSource ds = (HikariDataSource) first.dataSource();
      Database second = Database.open(ds.getJdbcUrl(), ds.getUsername(), ds.getPassword(), IssuanceJournal.MIGRATIONS, 4);
      return new Cluster(bench, bench.start(first, g -> {}), bench.start(second, g -> {}));
    }

    @Override
    public void close() {
      a.close();
      b.close();
    }
  }

  static AuthenticateRequest signed(OpenSessionResponse session, SimulatedCard card) throws SimulatedCard.PinException {
    return AuthenticateRequest.newBuilder()
        .setChallenge(session.getChallenge())
        .setCardCertificate(ByteString.copyFrom(card.certificateDer()))
        .setSignature(ByteString.copyFrom(card.sign("1234", session.getChallenge().toByteArray())))
        .setCredentialKind(CredentialKind.CREDENTIAL_KIND_CARD)
        .build();
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aChallengeOpenedOnOneGatewayIsSpentOnEveryGateway(Databases.Kind kind) throws Exception {
    try (Cluster cluster = Cluster.start(kind)) {
      Copier onA = cluster.bench.copier(cluster.a, "copier-1");
      Copier onB = cluster.bench.copier(cluster.b, "copier-1");
      SimulatedCard card = cluster.bench.card();
      AuthenticateRequest request = signed(onA.openSession(), card);

      assertThat(reasonOrNull(() -> onB.stub().authenticate(request))).isNull();
      assertThat(reasonOrNull(() -> onB.stub().authenticate(request))).isEqualTo(Reason.CHALLENGE_REUSED);
      assertThat(reasonOrNull(() -> onA.stub().authenticate(request))).isEqualTo(Reason.CHALLENGE_REUSED);
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void raceTheSameSignedChallengeAtBothGatewaysAndExactlyOneWins(Databases.Kind kind) throws Exception {
    try (Cluster cluster = Cluster.start(kind)) {
      List<Copier> copiers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        copiers.add(cluster.bench.copier(i % 2 == 0 ? cluster.a : cluster.b, "racer"));
      }
      AuthenticateRequest request = signed(copiers.get(0).openSession(), cluster.bench.card());
      ExecutorService pool = Executors.newFixedThreadPool(copiers.size());
      try {
        List<Future<Reason>> results = new ArrayList<>();
        for (Copier c : copiers) {
          results.add(pool.submit(() -> reasonOrNull(() -> c.stub().authenticate(request))));
        }
        int wins = 0;
        for (Future<Reason> f : results) {
          Reason r = f.get();
          if (r == null) {
            wins++;
          } else {
            assertThat(r).isEqualTo(Reason.CHALLENGE_REUSED);
          }
        }
        assertThat(wins).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aChallengeExpiresAndIsBoundToItsCopierOnEveryGateway(Databases.Kind kind) throws Exception {
    try (Cluster cluster = Cluster.start(kind)) {
      Copier x = cluster.bench.copier(cluster.a, "copier-x");
      Copier yOnB = cluster.bench.copier(cluster.b, "copier-y");
      Copier xOnB = cluster.bench.copier(cluster.b, "copier-x");
      SimulatedCard card = cluster.bench.card();

      AuthenticateRequest forX = signed(x.openSession(), card);
      assertThat(reasonOrNull(() -> yOnB.stub().authenticate(forX))).isEqualTo(Reason.CHALLENGE_INVALID);

      AuthenticateRequest late = signed(x.openSession(), card);
      cluster.bench.clock.forward(Duration.ofMinutes(2));
      try {
        assertThat(reasonOrNull(() -> xOnB.stub().authenticate(late))).isEqualTo(Reason.CHALLENGE_EXPIRED);
      } finally {
        cluster.bench.clock.back(Duration.ofMinutes(2));
      }
      // Refused as another copier's or as expired, the challenge above was not spent.
      assertThat(reasonOrNull(() -> xOnB.stub().authenticate(forX))).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aSessionIsBoundToItsCopierAndClosedOnEveryGateway(Databases.Kind kind) throws Exception {
    try (Cluster cluster = Cluster.start(kind)) {
      Copier x = cluster.bench.copier(cluster.a, "copier-x");
      Copier xOnB = cluster.bench.copier(cluster.b, "copier-x");
      Copier yOnB = cluster.bench.copier(cluster.b, "copier-y");
      ByteString token = x.stub().authenticate(signed(x.openSession(), cluster.bench.card())).getSessionToken();
      ListOfferingsRequest list = ListOfferingsRequest.newBuilder().setSessionToken(token).build();

      assertThat(reasonOrNull(() -> xOnB.stub().listOfferings(list))).as("any gateway serves the session").isNull();
      assertThat(reasonOrNull(() -> yOnB.stub().listOfferings(list))).isEqualTo(Reason.SESSION_INVALID);

      x.stub().closeSession(CloseSessionRequest.newBuilder().setSessionToken(token).build());
      assertThat(reasonOrNull(() -> xOnB.stub().listOfferings(list))).isEqualTo(Reason.SESSION_CLOSED);

      ByteString other = x.stub().authenticate(signed(x.openSession(), cluster.bench.card())).getSessionToken();
      cluster.bench.clock.forward(Duration.ofMinutes(16));
      try {
        assertThat(reasonOrNull(() -> xOnB.stub().listOfferings(ListOfferingsRequest.newBuilder().setSessionToken(other).build())))
            .isEqualTo(Reason.SESSION_EXPIRED);
      } finally {
        cluster.bench.clock.back(Duration.ofMinutes(16));
      }
    }
  }
}

package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.storage.Database;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the journal, over real sockets and a real PostgreSQL server that is stopped and
 * started again: /readyz and the gRPC health service's overall status turn NOT_SERVING while the
 * journal cannot be reached and SERVING again once it can, by themselves; /livez stays 200 all the
 * while.
 */
@WholeWorld
class ReadinessOverPostgresTest {
  private EmbeddedPostgres pg;

  @AfterEach
  void stopPostgres() throws IOException {
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void readinessDropsWhileTheJournalIsDownAndComesBackWithIt() throws Exception {
    Path data = Files.createTempDirectory("kofu-readiness-pg-");
    // PostgreSQL starts again on this port: one the kernel does not hand out meanwhile.
    int port = jp.kofu.testing.FixedPorts.take();
    pg = postgres(data, port);
    Database journal = Database.open(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", IssuanceJournal.MIGRATIONS, 4);
    try (KofuWorld world =
        KofuWorld.embedded()
                .gateway(
                    (b, ocsp) ->
                        b.journal(journal)
                            .adminListen(new InetSocketAddress("127.0.0.1", 0))
                            .readiness(Duration.ofMillis(200), Duration.ofSeconds(1))).start()) {
      ManagedChannel channel = GatewayServicesOverTlsTest.asCopier(world.embeddedWorld());
      try {
        InetSocketAddress admin = world.gateway().adminAddress();
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        assertThat(MonitoringFilesTest.get(admin, "/readyz").statusCode()).isEqualTo(200);
        assertThat(overall(health)).isEqualTo(ServingStatus.SERVING);

        pg.close();
        pg = null;
        await().atMost(Duration.ofSeconds(20)).until(() -> MonitoringFilesTest.get(admin, "/readyz").statusCode() == 503);
        assertThat(MonitoringFilesTest.get(admin, "/readyz").body()).contains("journal: ");
        assertThat(overall(health)).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(MonitoringFilesTest.get(admin, "/livez").statusCode()).isEqualTo(200);
        assertThat(MonitoringFilesTest.get(admin, "/metrics").body()).contains("kofu_readiness_check{check=\"journal\"} 0.0", "kofu_ready 0.0");

        pg = postgres(data, port);
        await().atMost(Duration.ofSeconds(40)).until(() -> MonitoringFilesTest.get(admin, "/readyz").statusCode() == 200);
        assertThat(overall(health)).isEqualTo(ServingStatus.SERVING);
        assertThat(MonitoringFilesTest.get(admin, "/metrics").body()).contains("kofu_readiness_transitions_total 2.0");
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static ServingStatus overall(HealthGrpc.HealthBlockingStub health) {
    return health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus();
  }

  /** A PostgreSQL server of its own on {@code port}, keeping its data in {@code dir} across restarts. */
  private static EmbeddedPostgres postgres(Path dir, int port) throws IOException {
    return EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(port).start();
  }
}

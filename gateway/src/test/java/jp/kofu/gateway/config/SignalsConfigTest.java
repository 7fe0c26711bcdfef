package jp.kofu.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jp.kofu.gateway.edge.EdgeLimits;
import org.junit.jupiter.api.Test;

/** The admin, shutdown, edge and logging sections: defaults, values as written, precise errors. */
class SignalsConfigTest {
  static GatewayConfig load(String yaml) throws Exception {
    Path f = Files.createTempDirectory("kofu-signals-config-").resolve("kofu-gateway.yaml");
    Files.writeString(f, yaml);
    return GatewayConfig.load(f);
  }

  @Test
  void defaults() throws Exception {
    GatewayConfig c = load("data: var\n");
    assertThat(c.admin().listen()).isNull();
    assertThat(c.admin().readinessInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.shutdown().quietPeriod()).isZero();
    assertThat(c.shutdown().grace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.edge().toLimits()).isEqualTo(EdgeLimits.DEFAULTS);
    assertThat(c.logging().format()).isNull();
  }

  @Test
  void readsEveryKey() throws Exception {
    GatewayConfig c =
        load(
            """
            data: var
            admin: {listen: 0.0.0.0:9464, readiness-interval: 500ms, readiness-timeout: 1s}
            shutdown: {quiet-period: 5s, grace: 30s}
            edge:
              max-connection-age: 10m
              max-connection-age-grace: 30s
              max-concurrent-calls-per-connection: 50
              max-rst-frames-per-window: 100
              rst-window: 5s
              permit-keep-alive-time: 30s
              max-connection-idle: 1m
              max-in-flight-issuances: 64
              call-threads: 128
            logging: {format: TEXT}
            """);
    assertThat(c.admin().listen()).isEqualTo("0.0.0.0:9464");
    assertThat(c.admin().readinessInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.shutdown().quietPeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.shutdown().grace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.edge().toLimits())
        .isEqualTo(new EdgeLimits(Duration.ofMinutes(10), Duration.ofSeconds(30), 50, 100, Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMinutes(1), 64, 128));
    assertThat(c.logging().format()).isEqualTo("text");
  }

  @Test
  void metricsListenIsTheFormerNameOfAdminListen() throws Exception {
    assertThat(load("data: var\nmetrics: {listen: 127.0.0.1:9464}\n").admin().listen()).isEqualTo("127.0.0.1:9464");
    assertThatThrownBy(() -> load("data: var\nmetrics: {listen: 127.0.0.1:1}\nadmin: {listen: 127.0.0.1:2}\n"))
        .hasMessageContaining("admin.listen and metrics.listen: both set");
  }

  @Test
  void namesTheFieldOfEveryError() {
    assertThatThrownBy(() -> load("data: var\nadmin: {listen: nowhere}\n")).hasMessageContaining("admin.listen");
    assertThatThrownBy(() -> load("data: var\nshutdown: {grace: 0s}\n")).hasMessageContaining("shutdown.grace");
    assertThatThrownBy(() -> load("data: var\nedge: {max-in-flight-issuances: 600}\n"))
        .hasMessageContaining("edge.call-threads: 512 (expected: more than max-in-flight-issuances, 600)");
    assertThatThrownBy(() -> load("data: var\nedge: {max-concurrent-calls-per-connection: 0}\n"))
        .hasMessageContaining("edge.max-concurrent-calls-per-connection: 0");
    assertThatThrownBy(() -> load("data: var\nlogging: {format: xml}\n")).hasMessageContaining("logging.format: 'xml' (expected: json or text)");
    assertThatThrownBy(() -> load("data: var\nedge: {surprise: 1}\n")).hasMessageContaining("surprise");
  }
}

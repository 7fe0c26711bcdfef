package jp.kofu.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration of municipalities' isolation, plugins, the card directory and metrics. */
class MunicipalitiesConfigTest {
  @TempDir Path dir;

  GatewayConfig load(String yaml) throws Exception {
    Path file = dir.resolve("kofu-gateway.yaml");
    Files.writeString(file, yaml);
    return GatewayConfig.load(file);
  }

  @Test
  void defaultsGiveEveryMunicipalityALimitADeadlineAndABreaker() throws Exception {
    GatewayConfig c = load("data: var\n");
    assertThat(c.isolation().deadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.isolation().concurrency()).isEqualTo(64);
    assertThat(c.isolation().breaker().openFor()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.plugins()).isNull();
    assertThat(c.cardDirectory().kind()).isEqualTo("feed");
    assertThat(c.metrics().listen()).isNull();
  }

  @Test
  void pluginsAreRelativeToTheFileAndTheBreakerIsRead() throws Exception {
    GatewayConfig c =
        load(
            """
            data: var
            plugins: plugins
            municipalities:
              deadline: 3s
              breaker: {window: 8, minimum-calls: 4, failure-rate: 25, open-for: 1m, half-open-calls: 2}
            card-directory: {kind: feed, settings: {files: a.csv}}
            metrics: {listen: 127.0.0.1:9464}
            """);
    assertThat(c.plugins()).isEqualTo(dir.resolve("plugins"));
    assertThat(c.isolation().deadline()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.isolation().breaker().window()).isEqualTo(8);
    assertThat(c.isolation().breaker().failureRatePercent()).isEqualTo(25f);
    assertThat(c.isolation().breaker().openFor()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.cardDirectory().settings()).containsEntry("files", "a.csv");
  }

  @Test
  void badValuesNameTheirField() {
    assertThatThrownBy(() -> load("data: var\nmunicipalities: {breaker: {failure-rate: 150}}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("breaker.failure-rate: 150.0 (expected: 1..100)");
    assertThatThrownBy(() -> load("data: var\nmunicipalities: {breaker: {open-for: 0s}}\n"))
        .hasMessageContaining("municipalities.breaker.open-for");
    assertThatThrownBy(() -> load("data: var\nmetrics: {listen: nowhere}\n")).hasMessageContaining("metrics.listen");
    assertThatThrownBy(() -> load("data: var\ncard-directory: {settings: {}}\n")).hasMessageContaining("card-directory.kind: missing");
    assertThatThrownBy(() -> load("data: var\nmunicipalities: {breaker: {windw: 3}}\n")).hasMessageContaining("windw");
  }
}

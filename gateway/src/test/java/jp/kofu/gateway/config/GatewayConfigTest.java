package jp.kofu.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {
  @TempDir Path dir;

  Path write(String yaml) throws Exception {
    Path f = dir.resolve("kofu-gateway.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void readsAFileWithHumanDurationsAndResolvesPathsAgainstIt() throws Exception {
    GatewayConfig c =
        GatewayConfig.load(
            write(
                """
                listen: 127.0.0.1:9443
                data: world
                sessions: {challenge-ttl: 90s, session-ttl: 10m}
                municipalities: {deadline: 500ms, concurrency: 8}
                adapters:
                  - kind: embedded
                    settings: {catalog: cat}
                """));
    assertThat(c.data()).isEqualTo(dir.resolve("world"));
    assertThat(c.sessions().challengeTtl()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.municipalities().deadline()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.municipalities().concurrency()).isEqualTo(8);
    assertThat(c.adapters()).singleElement().satisfies(a -> assertThat(a.settings()).containsEntry("catalog", "cat"));
    assertThat(c.journal().url()).isNull();
  }

  @Test
  void namesNoAdapterByItself() throws Exception {
    // The production gateway refuses a configuration without adapters; only the development
    // world adds its embedded one.
    GatewayConfig c = GatewayConfig.load(write("data: var\n"));
    assertThat(c.adapters()).isEmpty();
    assertThat(c.listen()).isEqualTo("127.0.0.1:8443");
  }

  @Test
  void namesTheFieldOfEveryError() throws Exception {
    assertThatThrownBy(() -> GatewayConfig.load(write("data: var\nlisten: nowhere\n")))
        .hasMessageContaining("listen: 'nowhere' (expected: host:port)");
    assertThatThrownBy(() -> GatewayConfig.load(write("data: var\nmunicipalities: {deadline: soon}\n")))
        .hasMessageContaining("deadline");
    assertThatThrownBy(() -> GatewayConfig.load(write("data: var\nsurprise: 1\n"))).hasMessageContaining("surprise");
    assertThatThrownBy(() -> GatewayConfig.load(write("listen: 127.0.0.1:1\n"))).hasMessageContaining("data: missing");
  }

  @Test
  void verificationDefaultsAndSettings() throws Exception {
    GatewayConfig d = GatewayConfig.load(write("data: var\n"));
    assertThat(d.verification().listen()).isEqualTo("127.0.0.1:8480");
    assertThat(d.verification().publicUrl()).isEqualTo("http://127.0.0.1:8480");
    assertThat(d.verification().validity()).isEqualTo(Duration.ofDays(90));
    assertThat(d.verification().lookupsPerMinute()).isEqualTo(30);

    GatewayConfig c =
        GatewayConfig.load(
            write(
                """
                data: var
                verification: {listen: 0.0.0.0:9480, public-url: https://verify.example.jp, validity: 30d, lookups-per-minute: 10}
                """));
    assertThat(c.verification().publicUrl()).isEqualTo("https://verify.example.jp");
    assertThat(c.verification().validity()).isEqualTo(Duration.ofDays(30));
    assertThat(c.verification().lookupsPerMinute()).isEqualTo(10);

    assertThatThrownBy(() -> GatewayConfig.load(write("data: var\nverification: {validity: 0s}\n")))
        .hasMessageContaining("verification.validity");
    assertThatThrownBy(() -> GatewayConfig.load(write("data: var\nverification: {public-url: ftp://x}\n")))
        .hasMessageContaining("verification.public-url");
    assertThatThrownBy(() -> GatewayConfig.load(write("data: var\nverification: {lookups-per-minute: 0}\n")))
        .hasMessageContaining("verification.lookups-per-minute: 0");
  }

  @Test
  void theJournalsTimeoutsAndTheCommissionHaveSafeDefaultsAndAreChecked() throws Exception {
    GatewayConfig d = GatewayConfig.load(write("data: var\n"));
    assertThat(d.journal().attemptTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.journal().unconfirmedTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(d.settlement().commissionPerDocumentYen()).isZero();
    GatewayConfig c =
        GatewayConfig.load(
            write(
                """
                data: var
                journal: {attempt-timeout: 45s, unconfirmed-timeout: 1h}
                settlement: {commission-per-document-yen: 120}
                """));
    assertThat(c.journal().attemptTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.journal().unconfirmedTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(c.settlement().commissionPerDocumentYen()).isEqualTo(120);
    // A live attempt must never be taken over while the municipality may still be working on it.
    assertThatThrownBy(() -> GatewayConfig.load(write("data: var\njournal: {attempt-timeout: 10s}\n")))
        .hasMessageContaining("journal.attempt-timeout: 10s (expected: longer than municipalities.deadline, 10s)");
    // One call per attempt (SPI 1.1): longer than one deadline is enough.
    assertThat(GatewayConfig.load(write("data: var\njournal: {attempt-timeout: 15s}\n")).journal().attemptTimeout())
        .isEqualTo(Duration.ofSeconds(15));
    // A copier must always be able to confirm before its issuance is voided.
    assertThatThrownBy(() -> GatewayConfig.load(write("data: var\njournal: {unconfirmed-timeout: 10m}\n")))
        .hasMessageContaining("journal.unconfirmed-timeout: 10m (expected: longer than sessions.session-ttl, 15m)");
    assertThatThrownBy(() -> GatewayConfig.load(write("data: var\nsettlement: {commission-per-document-yen: -5}\n")))
        .hasMessageContaining("settlement.commission-per-document-yen: -5 (expected: 0..100000)");
  }

  @Test
  void durationsArePrintedAsTheyAreWritten() {
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMinutes(30))).isEqualTo("30m");
    assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
    assertThat(Durations.parse(Durations.format(Duration.ofMillis(1500)))).isEqualTo(Duration.ofMillis(1500));
  }
}

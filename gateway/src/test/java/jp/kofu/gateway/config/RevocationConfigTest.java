package jp.kofu.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jp.kofu.gateway.revocation.RevocationSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code revocation} and {@code limits} sections of kofu-gateway.yaml. */
class RevocationConfigTest {
  @TempDir Path dir;

  GatewayConfig load(String yaml) throws Exception {
    Path f = dir.resolve("kofu-gateway.yaml");
    Files.writeString(f, yaml);
    return GatewayConfig.load(f);
  }

  static final URI EMBEDDED_OCSP = URI.create("http://127.0.0.1:1/ocsp");
  static final List<URI> EMBEDDED_CRLS = List.of(URI.create("http://127.0.0.1:1/crl/terminal-ca.crl"));

  @Test
  void defaultsToOcspAgainstTheEmbeddedResponder() throws Exception {
    GatewayConfig c = load("data: var\n");
    RevocationSettings s = c.revocationSettings(EMBEDDED_OCSP, EMBEDDED_CRLS);

    assertThat(s.cards()).isEqualTo(RevocationSettings.Mode.OCSP);
    assertThat(s.ocsp()).isEqualTo(EMBEDDED_OCSP);
    assertThat(s.crls()).isEqualTo(EMBEDDED_CRLS);
    assertThat(s.maxStaleness()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.limits().terminalRequests()).isEqualTo(600);
    assertThat(c.limits().lockoutFailures()).isEqualTo(5);
  }

  @Test
  void readsCrlModeWithFileAndHttpSourcesAndLimits() throws Exception {
    GatewayConfig c =
        load(
            """
            data: var
            revocation:
              cards: CRL
              max-staleness: 10m
              crl-refresh: 30s
              crls: [var/pki/card/user-ca/crl.pem, "http://crl.example:8889/crl/terminal-ca.crl"]
              timeout: 500ms
            limits: {terminal-requests: 30, terminal-period: 10s, lockout-failures: 3, lockout-window: 5m, lockout-duration: 1h}
            """);
    RevocationSettings s = c.revocationSettings(EMBEDDED_OCSP, EMBEDDED_CRLS);

    assertThat(s.cards()).isEqualTo(RevocationSettings.Mode.CRL);
    assertThat(s.maxStaleness()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.crlRefresh()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.crls()).containsExactly(dir.resolve("var/pki/card/user-ca/crl.pem").toUri(), URI.create("http://crl.example:8889/crl/terminal-ca.crl"));
    assertThat(s.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.limits().terminalPeriod()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.limits().lockoutDuration()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void namesTheFieldOfEveryError() {
    assertThatThrownBy(() -> load("data: var\nrevocation: {cards: none}\n")).hasMessageContaining("revocation.cards: 'none' (expected: ocsp or crl)");
    assertThatThrownBy(() -> load("data: var\nrevocation: {max-staleness: 1m, crl-refresh: 2m}\n"))
        .hasMessageContaining("revocation.crl-refresh")
        .hasMessageContaining("shorter than max-staleness");
    assertThatThrownBy(() -> load("data: var\nrevocation: {ocsp: /not/a/url}\n")).hasMessageContaining("revocation.ocsp");
    assertThatThrownBy(() -> load("data: var\nrevocation: {crls: []}\n")).hasMessageContaining("revocation.crls: empty");
    assertThatThrownBy(() -> load("data: var\nrevocation: {max-staleness: 0s}\n")).hasMessageContaining("revocation.max-staleness");
    assertThatThrownBy(() -> load("data: var\nlimits: {terminal-requests: 0}\n")).hasMessageContaining("limits.terminal-requests");
    assertThatThrownBy(() -> load("data: var\nlimits: {lockout-failures: 0}\n")).hasMessageContaining("limits.lockout-failures");
    assertThatThrownBy(() -> load("data: var\nrevocation: {surprise: 1}\n")).hasMessageContaining("surprise");
  }
}

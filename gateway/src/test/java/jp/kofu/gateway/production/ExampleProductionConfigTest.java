package jp.kofu.gateway.production;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import jp.kofu.gateway.config.ConfigFile;
import jp.kofu.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;

/** conf/gateway.example.yaml, the file the distribution ships, is a valid configuration. */
class ExampleProductionConfigTest {
  @Test
  void theShippedExampleReads() {
    GatewayConfig c = ConfigFile.load(Path.of("../conf/gateway.example.yaml"), Map.of()).config();
    assertThat(c.tls().key()).isEqualTo(Path.of("/etc/kofu/tls/gateway.key"));
    assertThat(c.trust().terminalCas()).containsExactly(Path.of("/etc/kofu/trust/terminal-ca.crt"));
    assertThat(c.secrets().session().keyId()).isNotEqualTo(c.secrets().journal().keyId());
    assertThat(c.revocation().ocsp()).startsWith("http://");
    assertThat(c.adapters()).extracting(GatewayConfig.Adapter::kind).containsExactly("remote");
  }
}

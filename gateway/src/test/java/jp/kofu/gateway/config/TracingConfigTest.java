package jp.kofu.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import jp.kofu.trace.TraceSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracing: section: off by default, every key as written, and each bad value refused with the
 * file, the line and the key, and what was expected.
 */
class TracingConfigTest {
  @TempDir Path dir;

  GatewayConfig load(String yaml, Map<String, String> env) throws Exception {
    Path f = dir.resolve("kofu-gateway.yaml");
    Files.writeString(f, yaml);
    return ConfigFile.load(f, env).config();
  }

  /** The message of the refusal of {@code yaml}, which must name the file and the line of {@code at}. */
  String refused(String yaml, String at) {
    Path f = dir.resolve("kofu-gateway.yaml");
    int line = 0;
    String[] lines = yaml.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(at)) {
        line = i + 1;
      }
    }
    assertThat(line).as("line of " + at).isPositive();
    int l = line;
    return assertThatThrownBy(() -> load(yaml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(f + ":" + l + ": ")
        .actual()
        .getMessage();
  }

  @Test
  void offByDefault() throws Exception {
    TraceSettings s = load("data: var\n", Map.of()).tracing().settings();
    assertThat(s.enabled()).isFalse();
    assertThat(s.serviceName()).isEqualTo("kofu-gateway");
    assertThat(s.samplingRatio()).isEqualTo(1.0);
  }

  @Test
  void readsEveryKey() throws Exception {
    TraceSettings s =
        load(
                """
                data: var
                tracing:
                  enabled: true
                  endpoint: https://collector.example.jp:4318/v1/traces
                  service-name: kofu-gateway-tokyo
                  sampling-ratio: 0.25
                  headers: {X-Api-Key: abc123}
                  export-timeout: 3s
                  instance-id: gateway-0
                """,
                Map.of())
            .tracing()
            .settings();
    assertThat(s.enabled()).isTrue();
    assertThat(s.endpoint()).hasToString("https://collector.example.jp:4318/v1/traces");
    assertThat(s.serviceName()).isEqualTo("kofu-gateway-tokyo");
    assertThat(s.samplingRatio()).isEqualTo(0.25);
    assertThat(s.headers()).containsExactlyEntriesOf(Map.of("x-api-key", "abc123"));
    assertThat(s.exportTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.instanceId()).isEqualTo("gateway-0");
  }

  @Test
  void aCollectorsBaseAddressGetsTheTracesPath() throws Exception {
    assertThat(load("data: var\ntracing: {enabled: true, endpoint: 'http://otel:4318'}\n", Map.of()).tracing().settings().endpoint())
        .hasToString("http://otel:4318/v1/traces");
  }

  @Test
  void theEnvironmentTurnsItOn() throws Exception {
    TraceSettings s =
        load(
                "data: var\n",
                Map.of("KOFU_TRACING_ENABLED", "true", "KOFU_TRACING_ENDPOINT", "http://otel:4318/v1/traces", "KOFU_TRACING_HEADERS_X_API_KEY", "k1"))
            .tracing()
            .settings();
    assertThat(s.enabled()).isTrue();
    assertThat(s.endpoint()).hasToString("http://otel:4318/v1/traces");
    assertThat(s.headers()).containsExactlyEntriesOf(Map.of("x-api-key", "k1"));
  }

  @Test
  void anEndpointThatIsNotAnHttpUrlIsRefused() {
    String yaml = "data: var\ntracing:\n  enabled: true\n  endpoint: 'otel-collector:4318'\n";
    assertThat(refused(yaml, "endpoint"))
        .contains("tracing.endpoint: 'otel-collector:4318': not http or https")
        .contains("expected: the collector's OTLP/HTTP traces URL");
    assertThat(refused("data: var\ntracing:\n  endpoint: 'http://'\n", "endpoint")).contains("tracing.endpoint: 'http://': not a URL");
    assertThat(refused("data: var\ntracing:\n  endpoint: 'http://otel:4318/v1/traces?x=1'\n", "endpoint"))
        .contains("tracing.endpoint: ")
        .contains("has a query");
  }

  @Test
  void aSamplingRatioOutsideZeroToOneIsRefused() {
    assertThat(refused("data: var\ntracing:\n  enabled: true\n  sampling-ratio: 1.5\n", "sampling-ratio"))
        .contains("tracing.sampling-ratio: 1.5 (expected: 0..1");
    assertThat(refused("data: var\ntracing:\n  sampling-ratio: -0.1\n", "sampling-ratio")).contains("tracing.sampling-ratio: -0.1 (expected: 0..1");
  }

  @Test
  void otherBadValuesAreRefusedByKey() {
    assertThat(refused("data: var\ntracing:\n  service-name: 'kofu gateway'\n", "service-name")).contains("tracing.service-name: 'kofu gateway'");
    assertThat(refused("data: var\ntracing:\n  export-timeout: 0s\n", "export-timeout")).contains("tracing.export-timeout: 0ms (expected: more than 0s");
    assertThat(refused("data: var\ntracing:\n  headers: {'bad header': x}\n", "headers")).contains("tracing.headers.bad header: not an HTTP header name");
    assertThat(refused("data: var\ntracing:\n  enabld: true\n", "enabld")).contains("tracing.enabld: unknown key (did you mean 'enabled'?)");
  }
}

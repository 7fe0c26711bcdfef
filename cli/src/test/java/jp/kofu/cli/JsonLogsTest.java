package jp.kofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.sim.copier.Copier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The shipped logback.xml in its JSON form, on a running gateway: every line on stderr is one JSON
 * object; a call's access-log line carries the time with its offset, the request and terminal ids,
 * the method, status, latency and bytes; a java.util.logging record (grpc-java's kind) arrives as
 * JSON too, through the bridge.
 */
class JsonLogsTest {
  @Test
  void theGatewayLogsOneJsonObjectALineWithIdsAndTheAccessLog() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    String before = System.getProperty("kofu.log.format");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setProperty("kofu.log.format", "json");
    configure(context, getClass().getClassLoader().getResource("logback.xml"));
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    jp.kofu.gateway.Gateway.bridgeJavaUtilLogging(); // as Main does first
    try (EmbeddedWorld world = EmbeddedWorld.startTemporary();
        Copier copier = Copier.forWorld(world.address(), world.pki(), "json-chain", "json-store", "json-terminal")) {
      copier.openSession();
      java.util.logging.Logger.getLogger("io.grpc.kofu.test").warning("a record of java.util.logging");
    } finally {
      System.setErr(err);
      if (before == null) {
        System.clearProperty("kofu.log.format");
      } else {
        System.setProperty("kofu.log.format", before);
      }
      URL test = getClass().getClassLoader().getResource("logback-test.xml");
      configure(context, test != null ? test : getClass().getClassLoader().getResource("logback.xml"));
    }

    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(mapper.readTree(line)); // throws on anything that is not one JSON object a line
      }
    }
    assertThat(lines).anyMatch(l -> l.path("message").asText().contains("gateway listening"));
    JsonNode access =
        lines.stream()
            .filter(l -> l.path("logger_name").asText().equals("kofu.access") && l.path("grpc_method").asText().endsWith("/OpenSession"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no access-log line for OpenSession in " + lines));
    assertThat(OffsetDateTime.parse(access.path("@timestamp").asText())).isNotNull(); // ISO-8601 with its offset
    assertThat(access.path("level").asText()).isEqualTo("INFO");
    assertThat(access.path("grpc_status").asText()).isEqualTo("OK");
    assertThat(access.path("request_id").asText()).matches("[0-9a-f]{24}");
    assertThat(access.path("terminal_id").asText()).isEqualTo("json-chain/json-store/json-terminal");
    assertThat(access.path("latency_ms").isNumber()).isTrue();
    assertThat(access.path("bytes_in").isNumber()).isTrue(); // an OpenSessionRequest may be empty on the wire
    assertThat(access.path("bytes_out").asLong()).isPositive();
    JsonNode jul =
        lines.stream().filter(l -> l.path("logger_name").asText().equals("io.grpc.kofu.test")).findFirst().orElseThrow();
    assertThat(jul.path("level").asText()).isEqualTo("WARN");
    assertThat(jul.path("message").asText()).isEqualTo("a record of java.util.logging");
  }

  private static void configure(LoggerContext context, URL config) throws Exception {
    context.reset();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    joran.doConfigure(config);
  }
}

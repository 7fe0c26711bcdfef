package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;

/**
 * The gateway's spans really leave it: a collector of the test's own (the JDK's HTTP server)
 * receives OTLP over HTTP where the tracing: section says, with its headers, and what it receives
 * decodes as an ExportTraceServiceRequest (opentelemetry-proto's
 * collector/trace/v1/trace_service.proto, read field by field) naming the gateway's service and
 * its calls.
 */
@WholeWorld
class OtlpExportTest {
  record Received(String method, String path, String contentType, String apiKey, byte[] body) {}

  @Test
  void spansGoToTheConfiguredCollectorAsOtlpProtobuf() throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/",
        exchange -> {
          received.add(
              new Received(
                  exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Content-Type"),
                  exchange.getRequestHeaders().getFirst("X-Api-Key"), exchange.getRequestBody().readAllBytes()));
          // An empty ExportTraceServiceResponse: everything accepted.
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    try {
      try (KofuWorld world =
          KofuWorld.embedded()
              .config(
                  """
                  listen: 127.0.0.1:0
                  data: .
                  verification: {listen: 127.0.0.1:0}
                  tracing:
                    enabled: true
                    endpoint: http://127.0.0.1:%d/v1/traces
                    service-name: kofu-gateway-otlp
                    headers: {X-Api-Key: test-key-1}
                  """
                      .formatted(collector.getAddress().getPort()))
              .start()) {
        world.copier("otlp").openSession();
      }
      // Closing the world closed its tracing, which sends what it holds before it returns.
      assertThat(received).isNotEmpty();
      List<String> spanNames = new ArrayList<>();
      List<String> services = new ArrayList<>();
      for (Received r : received) {
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1/traces");
        assertThat(r.contentType()).isEqualTo("application/x-protobuf");
        assertThat(r.apiKey()).isEqualTo("test-key-1");
        assertThat(r.body()).isNotEmpty();
        // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
        for (UnknownFieldSet resourceSpans : messages(UnknownFieldSet.parseFrom(r.body()), 1)) {
          // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
          for (UnknownFieldSet resource : messages(resourceSpans, 1)) {
            // Resource { repeated KeyValue attributes = 1; }, KeyValue { string key = 1; AnyValue value = 2; }
            for (UnknownFieldSet kv : messages(resource, 1)) {
              if (string(kv, 1).equals("service.name")) {
                services.add(string(messages(kv, 2).get(0), 1)); // AnyValue { string string_value = 1; }
              }
            }
          }
          for (UnknownFieldSet scopeSpans : messages(resourceSpans, 2)) {
            // ScopeSpans { repeated Span spans = 2; }, Span { bytes trace_id = 1; bytes span_id = 2; string name = 5; }
            for (UnknownFieldSet span : messages(scopeSpans, 2)) {
              assertThat(span.getField(1).getLengthDelimitedList().get(0).size()).isEqualTo(16);
              assertThat(span.getField(2).getLengthDelimitedList().get(0).size()).isEqualTo(8);
              spanNames.add(string(span, 5));
            }
          }
        }
      }
      assertThat(services).isNotEmpty().containsOnly("kofu-gateway-otlp");
      assertThat(spanNames).contains("kofu.kiosk.v1.KioskService/OpenSession");
    } finally {
      collector.stop(0);
    }
  }

  static List<UnknownFieldSet> messages(UnknownFieldSet m, int field) throws Exception {
    List<UnknownFieldSet> out = new ArrayList<>();
    if (m.hasField(field)) {
      for (ByteString b : m.getField(field).getLengthDelimitedList()) {
        out.add(UnknownFieldSet.parseFrom(b));
      }
    }
    return out;
  }

  static String string(UnknownFieldSet m, int field) {
    return m.hasField(field) ? m.getField(field).getLengthDelimitedList().get(0).toString(StandardCharsets.UTF_8) : "";
  }
}

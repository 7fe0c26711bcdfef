package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.ByteString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.ReceivedDocument;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;

/**
 * The monitoring files ship with the metrics they name: a gateway on real sockets issues, refunds
 * and answers a lookup, its admin port is scraped, and every metric named by an alert rule
 * (deploy/monitoring/kofu-alerts.yaml) or a dashboard panel (kofu-dashboard.json) must be in the
 * scrape. When promtool is on the PATH (Debian's prometheus package), the rules must pass {@code
 * promtool check rules} too.
 */
@WholeWorld
class MonitoringFilesTest {
  static final Path MONITORING = Path.of("..", "deploy", "monitoring");
  static final Pattern METRIC = Pattern.compile("\\b((?:kofu|grpc|hikaricp|jvm|process)_[a-z0-9_]+)\\b");

  @Test
  void everyMetricTheAlertsAndTheDashboardNameIsServed() throws Exception {
    try (KofuWorld world =
        KofuWorld.embedded()
                .gateway((b, ocsp) -> b.adminListen(new InetSocketAddress("127.0.0.1", 0))).start()) {
      CardWallet.Entry e = world.eligibleCards(1).get(0);
      SimulatedCard card = world.wallet().card(e.residentId());
      Copier copier = world.copier("monitoring");
      ByteString token = copier.authenticate(copier.openSession(), card, e.pin()).getSessionToken();
      String order = UUID.randomUUID().toString();
      ReceivedDocument doc =
          copier.issue(token, order, e.municipalityCode(), CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build());
      copier.confirm(token, doc.header().getIssuanceId(), false);
      // An order for a municipality code that is not one: a refusal, counted by reason.
      try {
        copier.issue(token, UUID.randomUUID().toString(), "00000X", CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build());
        throw new AssertionError("an order for municipality 00000X was accepted");
      } catch (io.grpc.StatusRuntimeException expected) {
        assertThat(KofuException.reasonOf(expected)).isNotNull();
      }
      try {
        world.gateway().verifications().verify("0000-0000-0000-0000", null, InetAddress.getLoopbackAddress());
      } catch (KofuException expected) {
        // unknown or malformed: counted either way
      }

      InetSocketAddress admin = world.gateway().adminAddress();
      String scrape = get(admin, "/metrics").body();
      Set<String> served = new TreeSet<>();
      for (String line : scrape.split("\n")) {
        if (!line.isEmpty() && !line.startsWith("#")) {
          served.add(line.split("[{ ]", 2)[0]);
        }
      }
      assertThat(served).contains("kofu_documents_binding_refused_total", "grpc_server_processing_duration_seconds_bucket");
      assertThat(scrape).contains("kofu_documents_binding_refused_total{municipality=\"" + e.municipalityCode() + "\"} 0.0");

      ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
      JsonNode rules = yaml.readTree(MONITORING.resolve("kofu-alerts.yaml").toFile());
      List<String> ruleExprs = new ArrayList<>();
      rules.get("groups").forEach(g -> g.get("rules").forEach(r -> {
        assertThat(r.has("alert") && r.has("expr")).as("rule %s", r).isTrue();
        ruleExprs.add(r.get("expr").asText());
      }));
      assertThat(rules.findValuesAsText("alert")).contains("KofuDocumentBindingRefused", "KofuReadinessFlapping", "KofuRevocationStale",
          "KofuJournalErrors", "KofuMunicipalityCircuitOpen");
      JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("kofu-dashboard.json").toFile());
      List<String> panelExprs = dashboard.findValuesAsText("expr");
      assertThat(panelExprs).hasSizeGreaterThan(10);

      Set<String> named = new TreeSet<>();
      for (String expr : ruleExprs) {
        named.addAll(names(expr));
      }
      for (String expr : panelExprs) {
        named.addAll(names(expr));
      }
      // The metrics docs/OPERATIONS.md lists ("Watch", "Metrics") exist too (wildcards aside).
      String ops = Files.readString(Path.of("..", "docs", "OPERATIONS.md"));
      int metrics = ops.indexOf("### Metrics", ops.indexOf("## Watch"));
      assertThat(metrics).isPositive();
      for (String n : names(ops.substring(metrics, ops.indexOf("\n### ", metrics + 1)))) {
        if (!n.endsWith("_")) {
          named.add(n);
        }
      }
      assertThat(named).hasSizeGreaterThan(15);
      // A timer or histogram may be named by its base name (docs): its _count is then served.
      assertThat(named.stream().filter(n -> !served.contains(n) && !served.contains(n + "_count") && !served.contains(n + "_total")).collect(Collectors.toList()))
          .as("metrics named by deploy/monitoring but not served")
          .isEmpty();

      // The admin port's other two paths.
      assertThat(get(admin, "/livez").statusCode()).isEqualTo(200);
      assertThat(get(admin, "/readyz").statusCode()).isEqualTo(200);
      assertThat(get(admin, "/nothing").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void theAlertRulesPassPromtoolWhereItIsInstalled() throws Exception {
    Path promtool = null;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir, "promtool");
      if (Files.isExecutable(p)) {
        promtool = p;
        break;
      }
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(promtool != null, "promtool is not installed (apt-get install prometheus)");
    Process p = new ProcessBuilder(promtool.toString(), "check", "rules", MONITORING.resolve("kofu-alerts.yaml").toString())
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  static Set<String> names(String expr) {
    Set<String> out = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  static HttpResponse<String> get(InetSocketAddress admin, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}

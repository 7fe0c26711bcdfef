package jp.kofu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s: every manifest validated against Kubernetes' own schema (the official Java client's
 * models, generated from the API's OpenAPI document, reject unknown and missing fields and wrong
 * types), then checked for what the schema cannot see: selectors that select, probes and Services
 * on ports that exist, mounts of volumes that exist, the gateway's configuration naming only
 * mounted files, and the Secrets an operator must create documented in docs/OPERATIONS.md.
 */
class KubernetesManifestsTest {
  private static final Path K8S = Path.of("..", "deploy", "k8s");
  private static final ObjectMapper YAML = new YAMLMapper();

  /** Each kind kofu ships, its apiVersion and its model, whose validateJsonElement is the schema check. */
  private record Kind(String apiVersion, Class<?> model) {}

  private static final Map<String, Kind> KINDS =
      Map.of(
          "Deployment", new Kind("apps/v1", V1Deployment.class),
          "Service", new Kind("v1", V1Service.class),
          "ConfigMap", new Kind("v1", V1ConfigMap.class),
          "Secret", new Kind("v1", V1Secret.class),
          "PodDisruptionBudget", new Kind("policy/v1", V1PodDisruptionBudget.class),
          "HorizontalPodAutoscaler", new Kind("autoscaling/v2", V2HorizontalPodAutoscaler.class));

  static final Map<String, List<Object>> objects = new LinkedHashMap<>();

  @BeforeAll
  static void validateEveryManifest() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(K8S)) {
      files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(10);
    for (Path file : files) {
      var parser = new YAMLFactory().createParser(file.toFile());
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        String kind = doc.path("kind").asText();
        assertThat(KINDS).as(file + ": kind " + kind).containsKey(kind);
        assertThat(doc.path("apiVersion").asText()).as(file + ": apiVersion").isEqualTo(KINDS.get(kind).apiVersion());
        objects.computeIfAbsent(kind, k -> new ArrayList<>()).add(validated(file, KINDS.get(kind).model(), doc));
      }
    }
  }

  /** Validates {@code doc} against the schema of {@code model} and returns it as that model. */
  private static Object validated(Path file, Class<?> model, JsonNode doc) throws Exception {
    JsonElement json = JsonParser.parseString(doc.toString());
    try {
      model.getMethod("validateJsonElement", JsonElement.class).invoke(null, json);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new AssertionError(file + ": not a valid " + model.getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
    }
    return model.getMethod("fromJson", String.class).invoke(null, doc.toString());
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> all(String kind) {
    return (List<T>) (List<?>) objects.getOrDefault(kind, List.of());
  }

  private static V1Deployment deployment(String name) {
    return KubernetesManifestsTest.<V1Deployment>all("Deployment").stream()
        .filter(d -> d.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void theSchemaCheckRejectsWhatKubernetesWould() {
    JsonElement typo = JsonParser.parseString("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"spec\":{\"replica\":3}}");
    assertThatThrownBy(() -> V1Deployment.validateJsonElement(typo)).hasMessageContaining("`replica`");
    JsonElement noSelector = JsonParser.parseString("{\"spec\":{\"template\":{}}}");
    assertThatThrownBy(() -> V1Deployment.validateJsonElement(noSelector)).hasMessageContaining("selector");
  }

  @Test
  void everyDeploymentRunsNonRootReadOnlyWithLimitsProbesAndMountedVolumes() {
    assertThat(all("Deployment")).hasSize(2);
    for (V1Deployment d : KubernetesManifestsTest.<V1Deployment>all("Deployment")) {
      String name = d.getMetadata().getName();
      var pod = d.getSpec().getTemplate();
      assertThat(pod.getMetadata().getLabels()).as(name).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
      var security = pod.getSpec().getSecurityContext();
      assertThat(security.getRunAsNonRoot()).as(name).isTrue();
      assertThat(security.getRunAsUser()).as(name + ": the image's user").isEqualTo(65532L);
      assertThat(security.getFsGroup()).as(name + ": Secret files readable by the group").isEqualTo(65532L);
      Set<String> volumes = new java.util.HashSet<>();
      for (V1Volume v : pod.getSpec().getVolumes()) {
        volumes.add(v.getName());
        if (v.getSecret() != null) {
          assertThat(v.getSecret().getDefaultMode()).as(name + ": secret " + v.getName() + " mode 0440").isEqualTo(0440);
        }
      }
      for (V1Container c : pod.getSpec().getContainers()) {
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(name).containsExactly("ALL");
        assertThat(c.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).as(name).containsKey("memory");
        assertThat(c.getLivenessProbe()).as(name).isNotNull();
        assertThat(c.getReadinessProbe()).as(name).isNotNull();
        Set<String> ports = new java.util.HashSet<>();
        c.getPorts().forEach(p -> ports.add(p.getName()));
        for (var probe : List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
          var port = probe.getHttpGet() != null ? probe.getHttpGet().getPort() : probe.getTcpSocket().getPort();
          assertThat(ports).as(name + ": probe port").contains(port.getStrValue());
        }
        for (V1VolumeMount m : c.getVolumeMounts()) {
          assertThat(volumes).as(name + ": mount " + m.getMountPath()).contains(m.getName());
        }
      }
    }
  }

  @Test
  void theGatewayIsProbedOnItsAdminPortAndServedOnItsFourPorts() {
    V1Container gateway = deployment("kofu-gateway").getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (V1ContainerPort p : gateway.getPorts()) {
      ports.put(p.getName(), p.getContainerPort());
    }
    assertThat(ports).containsExactlyInAnyOrderEntriesOf(Map.of("kiosk", 8443, "verify-grpc", 8444, "verify-http", 8480, "admin", 9464));
    assertThat(gateway.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
    assertThat(gateway.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(gateway.getReadinessProbe().getHttpGet().getPort().getStrValue()).isEqualTo("admin");
    assertThat(gateway.getArgs()).containsExactly("gateway", "--config", "/etc/kofu/gateway.yaml");
  }

  @Test
  void servicesBudgetsAndAutoscalersSelectTheirDeployments() {
    for (V1Service s : KubernetesManifestsTest.<V1Service>all("Service")) {
      V1Deployment d = deployment(s.getMetadata().getName());
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(s.getSpec().getSelector());
      Set<String> ports = new java.util.HashSet<>();
      d.getSpec().getTemplate().getSpec().getContainers().forEach(c -> c.getPorts().forEach(p -> ports.add(p.getName())));
      s.getSpec().getPorts().forEach(p -> assertThat(ports).contains(p.getTargetPort().getStrValue()));
    }
    assertThat(KubernetesManifestsTest.<V1Service>all("Service").stream().filter(s -> s.getMetadata().getName().equals("kofu-gateway"))
            .flatMap(s -> s.getSpec().getPorts().stream()).map(p -> p.getPort()))
        .containsExactlyInAnyOrder(8443, 8444, 8480, 9464);
    for (V1PodDisruptionBudget b : KubernetesManifestsTest.<V1PodDisruptionBudget>all("PodDisruptionBudget")) {
      V1Deployment d = deployment(b.getMetadata().getName());
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(b.getSpec().getSelector().getMatchLabels());
    }
    assertThat(all("PodDisruptionBudget")).hasSize(2);
    for (V2HorizontalPodAutoscaler h : KubernetesManifestsTest.<V2HorizontalPodAutoscaler>all("HorizontalPodAutoscaler")) {
      var target = h.getSpec().getScaleTargetRef();
      assertThat(target.getKind()).isEqualTo("Deployment");
      V1Deployment d = deployment(target.getName());
      assertThat(h.getSpec().getMinReplicas()).isLessThanOrEqualTo(d.getSpec().getReplicas());
      assertThat(h.getSpec().getMinReplicas()).as("a PodDisruptionBudget of 1 leaves one serving").isGreaterThanOrEqualTo(2);
    }
    assertThat(all("HorizontalPodAutoscaler")).hasSize(2);
  }

  @Test
  void theGatewayConfigurationNamesOnlyMountedFilesAndItsListenersMatchThePorts() throws IOException {
    V1ConfigMap config = KubernetesManifestsTest.<V1ConfigMap>all("ConfigMap").stream()
        .filter(c -> c.getMetadata().getName().equals("kofu-gateway")).findFirst().orElseThrow();
    String yaml = config.getData().get("gateway.yaml");
    JsonNode parsed = YAML.readTree(yaml);
    assertThat(parsed.path("listen").asText()).isEqualTo("0.0.0.0:8443");
    assertThat(parsed.path("admin").path("listen").asText()).isEqualTo("0.0.0.0:9464");
    assertThat(parsed.path("verification").path("grpc-listen").asText()).isEqualTo("0.0.0.0:8444");
    assertThat(parsed.path("verification").path("listen").asText()).isEqualTo("0.0.0.0:8480");
    assertThat(yaml).doesNotContain("password:").doesNotContain("value:");

    var pod = deployment("kofu-gateway").getSpec().getTemplate().getSpec();
    List<String> mounts = pod.getContainers().get(0).getVolumeMounts().stream().map(V1VolumeMount::getMountPath).toList();
    Matcher m = Pattern.compile("(/etc/kofu/[A-Za-z0-9._/-]+)").matcher(yaml);
    int files = 0;
    while (m.find()) {
      String path = m.group(1);
      files++;
      assertThat(mounts).as(path + " is mounted").anyMatch(mount -> path.equals(mount) || path.startsWith(mount + "/"));
    }
    assertThat(files).isGreaterThan(10);
    assertThat(pod.getContainers().get(0).getEnv()).anyMatch(e -> e.getName().equals("KOFU_JOURNAL_URL")
        && e.getValueFrom().getSecretKeyRef().getName().equals("kofu-postgres"));
  }

  @Test
  void everySecretAndConfigMapThatAnOperatorCreatesIsDocumented() throws IOException {
    String operations = Files.readString(Path.of("..", "docs", "OPERATIONS.md"));
    Set<String> shipped = new java.util.HashSet<>();
    KubernetesManifestsTest.<V1ConfigMap>all("ConfigMap").forEach(c -> shipped.add(c.getMetadata().getName()));
    for (V1Deployment d : KubernetesManifestsTest.<V1Deployment>all("Deployment")) {
      var pod = d.getSpec().getTemplate().getSpec();
      List<String> referenced = new ArrayList<>();
      for (V1Volume v : pod.getVolumes()) {
        if (v.getSecret() != null) {
          referenced.add(v.getSecret().getSecretName());
        }
        if (v.getConfigMap() != null && !shipped.contains(v.getConfigMap().getName())) {
          referenced.add(v.getConfigMap().getName());
        }
      }
      pod.getContainers().forEach(c -> c.getEnv().stream().filter(e -> e.getValueFrom() != null)
          .forEach(e -> referenced.add(e.getValueFrom().getSecretKeyRef().getName())));
      for (String name : referenced) {
        assertThat(operations).as(name + " is explained in docs/OPERATIONS.md")
            .containsAnyOf("create secret generic " + name + " ", "create configmap " + name + " ");
      }
    }
  }
}

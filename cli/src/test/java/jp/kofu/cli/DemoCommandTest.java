package jp.kofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import jp.kofu.issuer.spi.CertificateType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kofu demo} and {@code kofu verify} as a user runs them. */
class DemoCommandTest {
  @Test
  void writesEveryTypeAndARefusalForEveryReasonAndVerifyTellsGenuineFromTampered(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("var");
    Path out = dir.resolve("out");
    assertThat(Main.commandLine().execute("demo", "--data", data.toString(), "--out", out.toString())).isZero();

    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    Set<String> types = new HashSet<>();
    manifest.get("documents").forEach(d -> {
      types.add(d.get("certificate_type").asText());
      assertThat(d.get("verification_code").asText()).matches("[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}");
    });
    for (CertificateType t : CertificateType.values()) {
      assertThat(types).contains(t.name());
    }
    Set<String> reasons = new HashSet<>();
    manifest.get("refused").forEach(r -> reasons.add(r.has("journal_reason") ? r.get("journal_reason").asText() : r.get("reason").asText()));
    assertThat(reasons)
        .contains(
            "UNDER_AGE", "MOVED_OUT", "DECEASED", "SUPPORT_MEASURE", "NO_SEAL_REGISTRATION", "MOVED_IN_TODAY", "GAIJI_PENDING",
            "FAMILY_REGISTER_NOTICE_PENDING", "NO_TAX_FILING", "DOMICILE_NOT_REGISTERED", "OUT_OF_SERVICE_HOURS");
    manifest.get("refused").forEach(r -> {
      if (r.has("journal_reason") && r.get("journal_reason").asText().equals("SUPPORT_MEASURE")) {
        assertThat(r.get("reason").asText()).isEqualTo("NOT_ISSUABLE");
      }
      if (r.get("reason").asText().equals("OUT_OF_SERVICE_HOURS")) {
        assertThat(r.at("/metadata/next_open").asText()).endsWith("+09:00");
      }
    });

    Path pdf = out.resolve(manifest.get("documents").get(3).get("file").asText());
    String report = stdout(() -> assertThat(Main.commandLine().execute("verify", "--data", data.toString(), pdf.toString())).isZero());
    assertThat(report).contains("GENUINE").containsPattern("PAdES level: +B-LT ");
    java.util.regex.Matcher stamped = java.util.regex.Pattern.compile("timestamped at: +(\\S+) ").matcher(report);
    assertThat(stamped.find()).as(report).isTrue();
    java.time.Instant stampedAt = java.time.Instant.parse(stamped.group(1));
    java.util.regex.Matcher signed = java.util.regex.Pattern.compile("signed at: +(\\S+) ").matcher(report);
    assertThat(signed.find()).as(report).isTrue();
    assertThat(stampedAt).isBetween(java.time.Instant.parse(signed.group(1)).minusSeconds(60), java.time.Instant.parse(signed.group(1)).plusSeconds(60));
    byte[] bytes = Files.readAllBytes(pdf);
    bytes[25] ^= 0x01;
    Path tampered = dir.resolve("tampered.pdf");
    Files.write(tampered, bytes);
    assertThat(Main.commandLine().execute("verify", "--data", data.toString(), tampered.toString())).isEqualTo(1);
  }

  /** What {@code body} prints on standard output. */
  private static String stdout(Runnable body) {
    java.io.PrintStream original = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}

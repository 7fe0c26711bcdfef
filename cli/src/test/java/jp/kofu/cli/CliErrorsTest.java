package jp.kofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every CLI error is one sentence on stderr, without a stack trace: exit status 2 when the command
 * line is wrong, 1 when the command ran and failed. All in-process; none of these starts a world.
 */
class CliErrorsTest {
  @TempDir Path dir;

  private static void assertSentence(JournalCommandsTest.Run r) {
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception:").doesNotContain("internal error");
    assertThat(r.err().lines().findFirst().orElse("")).startsWith("kofu ");
  }

  private static JournalCommandsTest.Run usage(String... args) {
    JournalCommandsTest.Run r = JournalCommandsTest.kofu(args);
    assertThat(r.exit()).as(r.err()).isEqualTo(Errors.USAGE);
    assertSentence(r);
    assertThat(r.err()).contains("Try 'kofu ").contains(" --help' for its options.");
    return r;
  }

  private static JournalCommandsTest.Run failure(String... args) {
    JournalCommandsTest.Run r = JournalCommandsTest.kofu(args);
    assertThat(r.exit()).as(r.err()).isEqualTo(Errors.FAILED);
    assertSentence(r);
    return r;
  }

  @Test
  void anUnknownCertificateTypeListsTheKnownOnes() {
    var r = usage("sim", "issue", "--data", dir.toString(), "--resident", "1", "--type", "passport");
    assertThat(r.err())
        .startsWith("kofu sim issue: Invalid value for option '--type': 'passport' (expected: juminhyo, juminhyo-kisai, inkan,");
  }

  @Test
  void aRateThatIsNotANumberIsAUsageError() {
    var r = usage("sim", "load", "--data", dir.toString(), "--rate", "fast");
    assertThat(r.err()).contains("--rate': 'fast' (expected: arrivals per second, e.g. 50/s)");
    assertThat(Files.exists(dir.resolve("pki"))).as("nothing started").isFalse();
  }

  @Test
  void aDurationWithoutUnitIsAUsageError() {
    var r = usage("sim", "load", "--data", dir.toString(), "--duration", "10");
    assertThat(r.err()).contains("--duration': '10' (expected: a duration such as 500ms, 10s, 2m, 1h, 7d)");
  }

  @Test
  void valuesOutsideTheirRangeAreUsageErrors() {
    assertThat(usage("sim", "load", "--data", dir.toString(), "--terminals", "0").err()).contains("terminals: 0 (expected: >= 1)");
    assertThat(usage("sim", "load", "--data", dir.toString(), "--rate", "0/s").err()).contains("(expected: 0 < rate <= 100000)");
    assertThat(usage("issuer", "seed", "--data", dir.toString(), "--municipalities", "3", "--residents", "2").err())
        .contains("(expected: --municipalities >= 1 and --residents >= --municipalities)");
  }

  @Test
  void aMalformedAddressIsAUsageError() {
    assertThat(usage("sim", "issue", "--resident", "1", "--gateway", "localhost").err())
        .contains("--gateway': 'localhost' (expected: host:port)");
    assertThat(usage("issuer", "serve", "--listen", "127.0.0.1:http").err()).contains("(expected: host:port)");
    assertThat(usage("pki", "ocsp", "--listen", "127.0.0.1:70000").err()).contains("port 70000 (expected: 0..65535)");
  }

  @Test
  void theIssuerServersTracingOptionsAreCheckedBeforeAnythingStarts() {
    assertThat(usage("issuer", "serve", "--data", dir.toString(), "--trace-endpoint", "http://otel:4318", "--trace-sampling-ratio", "2").err())
        .contains("--trace-sampling-ratio: 2.0 (expected: 0..1");
    assertThat(usage("issuer", "serve", "--data", dir.toString(), "--trace-endpoint", "otel:4318").err())
        .contains("--trace-endpoint: 'otel:4318': not http or https");
    assertThat(Files.exists(dir.resolve("pki"))).as("nothing started").isFalse();
  }

  @Test
  void theIssuerServersProductionPkiComesWhole() {
    assertThat(usage("issuer", "serve", "--certificate", "server.pem").err())
        .contains("Missing required argument(s): --key=PEM, --client-ca=PEM, --signers=DIR");
  }

  @Test
  void aMalformedDateSaysTheExpectedForm() {
    var r = usage("settle", "--data", dir.toString(), "--date", "2026-13-01");
    assertThat(r.err()).contains("--date': '2026-13-01' (expected: a date YYYY-MM-DD, e.g. 2026-11-26)");
  }

  @Test
  void unknownOptionsAndCommandsSuggestTheNearestOnes() {
    assertThat(usage("sim", "isue").err()).contains("Unmatched argument").contains("Did you mean: sim issue?");
    assertThat(usage("verify", "--trsut", "x.pem", "a.pdf").err()).contains("Unknown options: '--trsut'").contains("Possible solutions: --trust");
    assertThat(usage("sim", "issue").err()).contains("Missing required option: '--resident=<resident>'");
  }

  @Test
  void aMissingDocumentIsAFailureNamingTheFile() {
    var r = failure("verify", "--data", dir.toString(), "/nonexistent.pdf");
    assertThat(r.err()).isEqualTo("kofu verify: no such file: /nonexistent.pdf" + System.lineSeparator());
  }

  @Test
  void aMissingOrBadConfigurationIsAFailureNamingTheFile() throws Exception {
    Path missing = dir.resolve("missing.yaml");
    assertThat(failure("verify", "--config", missing.toString(), "a.pdf").err()).startsWith("kofu verify: " + missing);
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "journal: [unclosed\n");
    assertThat(failure("settle", "--config", bad.toString(), "--date", "2026-11-26").err()).startsWith("kofu settle: ").contains("bad.yaml");
    Path unknown = dir.resolve("unknown.yaml");
    Files.writeString(unknown, "no-such-section: 1\n");
    assertThat(failure("audit", "verify", "--config", unknown.toString()).err()).contains("unknown.yaml").contains("no-such-section");
  }

  @Test
  void aMissingMixFileIsAFailureNamingTheFile() {
    Path mix = dir.resolve("mix.txt");
    var r = failure("sim", "load", "--data", dir.toString(), "--mix", mix.toString());
    assertThat(r.err()).contains(mix.toString());
  }
}

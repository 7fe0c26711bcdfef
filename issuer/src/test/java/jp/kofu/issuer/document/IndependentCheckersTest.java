package jp.kofu.issuer.document;

import static jp.kofu.issuer.document.TestDocuments.certificate;
import static jp.kofu.issuer.document.TestDocuments.meta;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.pki.TrustWorld;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks kofu's documents with tools that share no code with it: poppler's pdfsig and qpdf. Skipped
 * where they are not installed (Debian: poppler-utils, qpdf).
 */
class IndependentCheckersTest {
  private static final TrustWorld WORLD = TrustWorld.generate();

  @TempDir Path dir;

  private Path signedSample() throws IOException {
    byte[] unsigned =
        new ResidenceCertificateRenderer()
            .render(certificate(12, CertificateOption.HEAD_OF_HOUSEHOLD, CertificateOption.DOMICILE), meta());
    byte[] signed = new PadesSigner().sign(unsigned, WORLD.municipalSigner("131016", "千代田区"));
    return Files.write(dir.resolve("juminhyo.pdf"), signed);
  }

  @Test
  void pdfsigFindsTheSignatureValid() throws Exception {
    Path pdfsig = tool("pdfsig");

    Result result = run(pdfsig.toString(), signedSample().toString());

    // The development CA is unknown to poppler, so it reports the certificate as untrusted.
    assertThat(result.output())
        .contains("Signature Type: ETSI.CAdES.detached")
        .contains("Signing Hash Algorithm: SHA-256")
        .contains("Total document signed")
        .contains("Signature is Valid");
  }

  @Test
  void qpdfFindsNoErrors() throws Exception {
    Path qpdf = tool("qpdf");

    Result result = run(qpdf.toString(), "--check", signedSample().toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("No syntax or stream encoding errors found");
  }

  private static Path tool(String name) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.add("/usr/bin");
    Optional<Path> found =
        dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    Assumptions.assumeTrue(found.isPresent(), name + " is not installed");
    return found.get();
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command[0] + " did not finish");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}

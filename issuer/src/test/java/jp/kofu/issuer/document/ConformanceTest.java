package jp.kofu.issuer.document;

import static org.assertj.core.api.Assertions.assertThat;

import eu.europa.esig.dss.enumerations.Indication;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.pades.validation.PDFDocumentValidator;
import eu.europa.esig.dss.simplereport.SimpleReport;
import eu.europa.esig.dss.spi.DSSUtils;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.reports.Reports;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.timestamp.TimeStampAuthority;
import jp.kofu.pki.TrustWorld;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

/**
 * Every certificate type, rendered and signed once (B-T, with kofu's time-stamping unit) and
 * extended to B-LT (the DSS update with the chains and the municipal CA's CRL), checked
 * by validators that share no code with kofu: EU DSS for the PAdES level, veraPDF for PDF/A-2b,
 * and poppler's pdfsig and qpdf where they are installed. Also by kofu's own verifier.
 */
class ConformanceTest {
  private static TrustWorld world;
  private static final Map<CertificateType, byte[]> SIGNED = new EnumMap<>(CertificateType.class);

  @TempDir static Path dir;

  @BeforeAll
  static void signEveryType() {
    world = TrustWorld.generate();
    // DSS judges against the real time, so the documents are signed and stamped now.
    Clock clock = Clock.systemUTC();
    PadesSigner signer = new PadesSigner(clock, new TimeStampAuthority(world.timestampingUnit(), clock));
    LongTermValidation longTerm = new LongTermValidation(
        clock, Duration.ofHours(1), List.of(world.municipalCa().certificate()),
        issuer -> List.of(world.municipalCa().crl(Duration.ofDays(1))));
    CertificateRenderer renderer = new CertificateRenderer();
    var municipality = world.municipalSigner("131016", "千代田区");
    int n = 0;
    for (var e : SampleCertificates.all().entrySet()) {
      // As the issuer makes them: rendered and signed in one pass (/Contents reserved, CMS patched
      // in), then extended to B-LT by the appended DSS update.
      byte[] pdf = renderer.renderSigned(e.getValue(), SampleCertificates.meta("KF-20261126-" + String.format("%06d", ++n)),
          signer, municipality).pdf();
      SIGNED.put(e.getKey(), longTerm.extend(pdf, municipality));
    }
    VeraGreenfieldFoundryProvider.initialise();
  }

  @ParameterizedTest
  @EnumSource(CertificateType.class)
  void dssFindsPadesBaselineLtAndTotalPassed(CertificateType type) {
    CommonTrustedCertificateSource anchors = new CommonTrustedCertificateSource();
    anchors.addCertificate(DSSUtils.loadCertificate(encoded(world.municipalCa().certificate())));
    CommonCertificateVerifier verifier = new CommonCertificateVerifier();
    verifier.setTrustedCertSources(anchors);
    // No CRL or OCSP source is handed over: the revocation data must come from the document's DSS.
    PDFDocumentValidator validator = new PDFDocumentValidator(new InMemoryDocument(SIGNED.get(type)));
    validator.setCertificateVerifier(verifier);

    Reports reports = validator.validateDocument();

    SimpleReport report = reports.getSimpleReport();
    assertThat(report.getSignatureIdList()).hasSize(1);
    String id = report.getFirstSignatureId();
    assertThat(report.getSignatureFormat(id)).isEqualTo(SignatureLevel.PAdES_BASELINE_LT);
    assertThat(report.getIndication(id))
        .as("%s: %s %s %s", type, report.getSubIndication(id), report.getAdESValidationErrors(id),
            report.getQualificationErrors(id))
        .isEqualTo(Indication.TOTAL_PASSED);
    assertThat(report.getSignatureTimestamps(id)).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(CertificateType.class)
  void veraPdfFindsPdfA2b(CertificateType type) throws Exception {
    try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(SIGNED.get(type)), PDFAFlavour.PDFA_2_B);
        PDFAValidator validator = Foundries.defaultInstance().createValidator(PDFAFlavour.PDFA_2_B, false)) {
      ValidationResult result = validator.validate(parser);

      String failures = result.getTestAssertions().stream()
          .filter(a -> a.getStatus() == TestAssertion.Status.FAILED)
          .map(a -> a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber() + " " + a.getMessage())
          .distinct()
          .collect(Collectors.joining("\n"));
      assertThat(result.isCompliant()).as("%s:\n%s", type, failures).isTrue();
      assertThat(result.getPDFAFlavour()).isEqualTo(PDFAFlavour.PDFA_2_B);
    }
  }

  @ParameterizedTest
  @EnumSource(CertificateType.class)
  void kofuVerifiesTheSignatureAndItsTimestamp(CertificateType type) throws Exception {
    VerifiedDocument verified =
        SignedDocuments.verifyTimestamped(SIGNED.get(type), List.of(world.municipalCa().certificate()));

    assertThat(verified.certificateType()).isEqualTo(type);
    assertThat(verified.municipalityCode()).isEqualTo("131016");
    assertThat(verified.level()).isEqualTo(PadesLevel.B_LT);
    assertThat(verified.timestampTime()).isBetween(verified.signingTime().minusSeconds(1), verified.signingTime().plusSeconds(60));
  }

  @ParameterizedTest
  @EnumSource(CertificateType.class)
  void pdfsigFindsTheSignatureValid(CertificateType type) throws Exception {
    Path pdfsig = tool("pdfsig");

    Result result = run(pdfsig.toString(), write(type).toString());

    // The development CA is unknown to poppler, so it reports the certificate as untrusted; and
    // the DSS update (B-LT) follows the signed revision, so the signature covers all but that.
    assertThat(result.output())
        .contains("Signature Type: ETSI.CAdES.detached")
        .contains("Signing Hash Algorithm: SHA-256")
        .contains("Not total document signed")
        .contains("Signature is Valid");
  }

  @ParameterizedTest
  @EnumSource(CertificateType.class)
  void qpdfFindsNoErrors(CertificateType type) throws Exception {
    Path qpdf = tool("qpdf");

    Result result = run(qpdf.toString(), "--check", write(type).toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("No syntax or stream encoding errors found");
  }

  private static Path write(CertificateType type) throws IOException {
    Path file = dir.resolve(type.slug() + ".pdf");
    if (!Files.exists(file)) {
      Files.write(file, SIGNED.get(type));
    }
    return file;
  }

  private static byte[] encoded(java.security.cert.X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path tool(String name) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.add("/usr/bin");
    Optional<Path> found =
        dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    Assumptions.assumeTrue(found.isPresent(), name + " is not installed");
    return found.get();
  }

  record Result(int exitCode, String output) {}

  static Result run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command[0] + " did not finish");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}

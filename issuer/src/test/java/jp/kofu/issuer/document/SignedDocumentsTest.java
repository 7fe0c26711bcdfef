package jp.kofu.issuer.document;

import static jp.kofu.issuer.document.TestDocuments.ISSUED_AT;
import static jp.kofu.issuer.document.TestDocuments.certificate;
import static jp.kofu.issuer.document.TestDocuments.meta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jp.kofu.issuer.document.DocumentVerificationException.Problem;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.pki.CertificateAuthority;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;
import jp.kofu.pki.X509;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.junit.jupiter.api.Test;

class SignedDocumentsTest {
  private static final TrustWorld WORLD = TrustWorld.generate();
  private static final HeldCertificate CHIYODA_SIGNER = WORLD.municipalSigner("131016", "千代田区");
  private static final List<X509Certificate> ANCHORS = List.of(WORLD.municipalCa().certificate());
  private static final Instant SIGNED_AT = ISSUED_AT.toInstant().plusSeconds(1);

  private final ResidenceCertificateRenderer renderer = new ResidenceCertificateRenderer();
  private final PadesSigner signer = new PadesSigner(Clock.fixed(SIGNED_AT, ISSUED_AT.getZone()));

  private final CertificateRenderer oneStep = new CertificateRenderer();

  /** As the issuer makes them: rendered and signed in one pass. */
  private byte[] signedCertificate(int persons) {
    return oneStep.renderSigned(certificate(persons, CertificateOption.HEAD_OF_HOUSEHOLD), meta(), signer, CHIYODA_SIGNER).pdf();
  }

  @Test
  void renderSignVerifyRoundTrip() throws Exception {
    DocumentMeta meta = meta();
    PadesSigner.Signed signed = oneStep.renderSigned(certificate(12), meta, signer, CHIYODA_SIGNER);
    byte[] pdf = signed.pdf();

    VerifiedDocument verified = SignedDocuments.verify(pdf, ANCHORS);

    assertThat(signed.pageCount()).isEqualTo(verified.pageCount());
    assertVerified(verified, meta, pdf);
  }

  /** PDFs from elsewhere are still signed the classic way: load, add the signature, save incrementally. */
  @Test
  void anUnsignedPdfIsSignedByAnIncrementalUpdate() throws Exception {
    DocumentMeta meta = meta();
    byte[] unsigned = renderer.render(certificate(12), meta);
    PadesSigner.Signed signed = signer.signCounted(unsigned, CHIYODA_SIGNER);
    byte[] pdf = signed.pdf();

    assertThat(Arrays.copyOf(pdf, unsigned.length)).as("the unsigned revision, unchanged").isEqualTo(unsigned);
    VerifiedDocument verified = SignedDocuments.verify(pdf, ANCHORS);
    assertThat(signed.pageCount()).isEqualTo(verified.pageCount());
    assertVerified(verified, meta, pdf);
  }

  /** One pass or two, the same document is signed: only the signature (its /M, the CMS) and the file's layout differ. */
  @Test
  void bothWaysOfSigningShowTheSamePages() throws Exception {
    DocumentMeta meta = meta();
    byte[] onePass = oneStep.renderSigned(certificate(3), meta, signer, CHIYODA_SIGNER).pdf();
    byte[] twoPass = signer.sign(renderer.render(certificate(3), meta), CHIYODA_SIGNER);
    assertThat(TestDocuments.text(onePass)).isEqualTo(TestDocuments.text(twoPass));
    try (PDDocument a = Loader.loadPDF(onePass); PDDocument b = Loader.loadPDF(twoPass)) {
      assertThat(a.getNumberOfPages()).isEqualTo(b.getNumberOfPages());
      for (int i = 0; i < a.getNumberOfPages(); i++) {
        try (var x = a.getPage(i).getContents(); var y = b.getPage(i).getContents()) {
          assertThat(x.readAllBytes()).as("content stream of page %d", i + 1).isEqualTo(y.readAllBytes());
        }
      }
      assertThat(a.getSignatureDictionaries().get(0).getSignDate())
          .isEqualTo(b.getSignatureDictionaries().get(0).getSignDate());
    }
  }

  private static void assertVerified(VerifiedDocument verified, DocumentMeta meta, byte[] pdf) {
    assertThat(verified.municipalityCode()).isEqualTo("131016");
    assertThat(verified.bindingHex()).isEqualTo(meta.bindingHex());
    assertThat(verified.documentNumber()).isEqualTo("KF-20261126-000123");
    assertThat(verified.certificateType()).isEqualTo(CertificateType.RESIDENCE);
    assertThat(verified.pageCount()).isGreaterThan(1);
    assertThat(verified.signingTime()).isEqualTo(SIGNED_AT);
    assertThat(verified.signer()).isEqualTo(CHIYODA_SIGNER.certificate());
    assertThat(verified.sha256Hex()).isEqualTo(HexFormat.of().formatHex(X509.sha256(pdf)));
  }

  @Test
  void theSignatureIsPadesBaselineB() throws Exception {
    byte[] pdf = signedCertificate(1);

    try (PDDocument document = Loader.loadPDF(pdf)) {
      PDSignature signature = document.getSignatureDictionaries().get(0);
      assertThat(signature.getFilter()).isEqualTo("Adobe.PPKLite");
      assertThat(signature.getSubFilter()).isEqualTo("ETSI.CAdES.detached");
      assertThat(signature.getSignDate().toInstant()).isEqualTo(SIGNED_AT);
      int[] range = signature.getByteRange();
      assertThat(range[2] - range[1] - 2).as("hex digits reserved for /Contents").isGreaterThanOrEqualTo(2 * 16 * 1024);

      CMSSignedData cms = new CMSSignedData(signature.getContents(pdf));
      assertThat(cms.isDetachedSignature()).isTrue();
      SignerInformation signerInfo = cms.getSignerInfos().getSigners().iterator().next();
      assertThat(signerInfo.getDigestAlgOID()).isEqualTo("2.16.840.1.101.3.4.2.1");
      assertThat(signerInfo.getEncryptionAlgOID()).isEqualTo(PKCSObjectIdentifiers.sha256WithRSAEncryption.getId());
      AttributeTable signed = signerInfo.getSignedAttributes();
      assertThat(signed.get(CMSAttributes.contentType)).isNotNull();
      assertThat(signed.get(CMSAttributes.messageDigest)).isNotNull();
      assertThat(signed.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2)).isNotNull();
      assertThat(signed.get(CMSAttributes.signingTime)).as("PAdES forbids the signing-time attribute").isNull();
      List<X509CertificateHolder> certificates = new ArrayList<>(cms.getCertificates().getMatches(null));
      assertThat(certificates).extracting(X509CertificateHolder::getSerialNumber)
          .contains(CHIYODA_SIGNER.certificate().getSerialNumber());
    }
  }

  @Test
  void aChangedByteInTheSignedRangeIsDetected() throws Exception {
    byte[] pdf = signedCertificate(1);
    // Change the document number in the Info dictionary: still a perfectly readable PDF.
    byte[] number = "KF-20261126-000123".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(pdf, number);
    assertThat(at).isPositive();
    pdf[at + number.length - 1] = '4';

    assertThatThrownBy(() -> SignedDocuments.verify(pdf, ANCHORS))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.SIGNATURE_INVALID))
        .hasMessageContaining("message digest does not match");
  }

  @Test
  void aFlippedByteAnywhereOutsideTheSignatureIsDetected() throws Exception {
    byte[] original = signedCertificate(1);
    int[] range;
    try (PDDocument document = Loader.loadPDF(original)) {
      range = document.getSignatureDictionaries().get(0).getByteRange();
    }
    for (int at : new int[] {range[1] / 3, range[1] / 2, range[1] - 40, range[2] + range[3] / 2}) {
      byte[] pdf = original.clone();
      pdf[at] ^= 0x01;
      assertThatThrownBy(() -> SignedDocuments.verify(pdf, ANCHORS))
          .as("flipped byte at %d", at)
          .isInstanceOf(DocumentVerificationException.class);
    }
  }

  @Test
  void anAppendedIncrementalUpdateIsDetected() throws Exception {
    byte[] pdf = signedCertificate(1);
    ByteArrayOutputStream updated = new ByteArrayOutputStream();
    try (PDDocument document = Loader.loadPDF(pdf)) {
      var info = document.getDocumentInformation();
      info.setCustomMetadataValue("KofuBinding", "00".repeat(32));
      info.getCOSObject().setNeedToBeUpdated(true);
      document.saveIncremental(updated);
    }
    assertThat(updated.size()).isGreaterThan(pdf.length);

    assertThatThrownBy(() -> SignedDocuments.verify(updated.toByteArray(), ANCHORS))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.INCOMPLETE_COVERAGE))
        .hasMessageContaining("after the signed range");
  }

  @Test
  void appendedBytesAreDetected() {
    byte[] pdf = signedCertificate(1);
    byte[] longer = Arrays.copyOf(pdf, pdf.length + 16);
    System.arraycopy("\n% trailing junk".getBytes(StandardCharsets.US_ASCII), 0, longer, pdf.length, 16);

    assertThatThrownBy(() -> SignedDocuments.verify(longer, ANCHORS))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.INCOMPLETE_COVERAGE));
  }

  /** Paths are cached per day; a certificate that expires during that day fails from then on. */
  @Test
  void aCachedCertificatePathStillExpiresOnTime() throws Exception {
    byte[] pdf = signedCertificate(1);
    Instant notAfter = CHIYODA_SIGNER.certificate().getNotAfter().toInstant();

    assertThat(SignedDocuments.verify(pdf, ANCHORS, notAfter.minusSeconds(1)).municipalityCode()).isEqualTo("131016");
    assertThat(SignedDocuments.verify(pdf, ANCHORS, notAfter.minusSeconds(1)).municipalityCode()).isEqualTo("131016");
    assertThatThrownBy(() -> SignedDocuments.verify(pdf, ANCHORS, notAfter.plusSeconds(1)))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.UNTRUSTED));
  }

  @Test
  void aSignerFromAnotherTrustWorldIsUntrusted() {
    HeldCertificate impostor = TrustWorld.generate().municipalSigner("131016", "千代田区");
    byte[] pdf = signer.sign(renderer.render(certificate(1), meta()), impostor);

    assertThatThrownBy(() -> SignedDocuments.verify(pdf, ANCHORS))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.UNTRUSTED))
        .hasMessageStartingWith("signer certificate does not chain to a trust anchor");
  }

  @Test
  void aSignerWithoutASigningKeyUsageIsRefused() {
    HeldCertificate notASigner =
        WORLD.municipalCa().issue(
            new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "JP")
                .addRDN(BCStyle.CN, "千代田区長")
                .addRDN(BCStyle.SERIALNUMBER, "131016")
                .build(),
            CertificateAuthority.Profile.CA,
            Duration.ofDays(30),
            List.of());
    byte[] pdf = signer.sign(renderer.render(certificate(1), meta()), notASigner);

    assertThatThrownBy(() -> SignedDocuments.verify(pdf, ANCHORS))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.KEY_USAGE));
  }

  @Test
  void aDocumentSignedByAnotherMunicipalityIsRefused() {
    byte[] pdf = signer.sign(renderer.render(certificate(1), meta()), WORLD.municipalSigner("131032", "港区"));

    assertThatThrownBy(() -> SignedDocuments.verify(pdf, ANCHORS))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.CONTENT))
        .hasMessageContaining("131016")
        .hasMessageContaining("131032");
  }

  @Test
  void anUnsignedDocumentIsRefused() {
    byte[] pdf = renderer.render(certificate(1), meta());

    assertThatThrownBy(() -> SignedDocuments.verify(pdf, ANCHORS))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.SIGNATURE_COUNT))
        .hasMessage("0 signatures (expected: exactly one)");
  }

  @Test
  void somethingElseIsNotAPdf() {
    assertThatThrownBy(() -> SignedDocuments.verify("not a pdf".getBytes(StandardCharsets.US_ASCII), ANCHORS))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED));
  }

  @Test
  void aSignedDocumentIsNotSignedAgain() {
    byte[] pdf = signedCertificate(1);

    assertThatThrownBy(() -> signer.sign(pdf, CHIYODA_SIGNER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unsignedPdf: already signed");
  }

  @Test
  void signingIsSafeFromManyThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String number = "KF-" + i;
        results.add(pool.submit(() -> oneStep.renderSigned(certificate(2), meta(number), signer, CHIYODA_SIGNER).pdf()));
      }
      for (int i = 0; i < results.size(); i++) {
        VerifiedDocument verified = SignedDocuments.verify(results.get(i).get(60, TimeUnit.SECONDS), ANCHORS);
        assertThat(verified.documentNumber()).isEqualTo("KF-" + i);
        assertThat(verified.bindingHex()).isEqualTo(meta("KF-" + i).bindingHex());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTimestampedSignatureVerifiesWithItsTime() throws Exception {
    // The trust world's certificates are valid from an hour before now, so is the timestamp.
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    var tsa = new jp.kofu.issuer.timestamp.TimeStampAuthority(WORLD.timestampingUnit(), Clock.fixed(now.plusSeconds(2), ISSUED_AT.getZone()));
    byte[] pdf = oneStep.renderSigned(certificate(1), meta(), new PadesSigner(Clock.fixed(now, ISSUED_AT.getZone()), tsa), CHIYODA_SIGNER).pdf();

    VerifiedDocument verified = SignedDocuments.verify(pdf, ANCHORS);

    assertThat(verified.timestamped()).isTrue();
    assertThat(verified.timestampTime()).isEqualTo(now.plusSeconds(2));
  }

  @Test
  void aTimestampFromAnUntrustedUnitIsRefused() {
    var stranger = new jp.kofu.issuer.timestamp.TimeStampAuthority(TrustWorld.generate().timestampingUnit(), Clock.systemUTC());
    byte[] pdf = new PadesSigner(Clock.systemUTC(), stranger).sign(renderer.render(certificate(1), meta()), CHIYODA_SIGNER);

    assertThatThrownBy(() -> SignedDocuments.verify(pdf, ANCHORS))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.TIMESTAMP))
        .hasMessageStartingWith("the time-stamping unit is not trusted");
  }

  @Test
  void aTimestampOverOtherDataIsRefused() {
    var tsa = new jp.kofu.issuer.timestamp.TimeStampAuthority(WORLD.timestampingUnit(), Clock.systemUTC());
    byte[] pdf = new PadesSigner(Clock.systemUTC(), digest -> tsa.timestamp(new byte[32]))
        .sign(renderer.render(certificate(1), meta()), CHIYODA_SIGNER);

    assertThatThrownBy(() -> SignedDocuments.verify(pdf, ANCHORS))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.TIMESTAMP))
        .hasMessage("the timestamp is over other data than this signature's value");
  }

  @Test
  void aSignatureWithoutTimestampIsNotBaselineT() {
    byte[] pdf = signedCertificate(1);

    assertThatThrownBy(() -> SignedDocuments.verifyTimestamped(pdf, ANCHORS))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.TIMESTAMP));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

package jp.kofu.issuer.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import jp.kofu.issuer.document.DocumentVerificationException.Problem;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.timestamp.TimeStampAuthority;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;
import jp.kofu.pki.X509;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;

/**
 * PAdES B-LT: the DSS update {@link LongTermValidation} appends, what the verifier makes of it,
 * and every way of abusing the one update allowed after the signed range. (EU DSS's verdict on
 * the same documents is in {@link ConformanceTest}.)
 */
class LongTermValidationTest {
  private static final TrustWorld WORLD = TrustWorld.generate();
  private static final HeldCertificate CHIYODA = WORLD.municipalSigner("131016", "千代田区");
  private static final List<X509Certificate> ANCHORS = List.of(WORLD.municipalCa().certificate());
  private static final CertificateRenderer RENDERER = new CertificateRenderer();

  /** A clock tests move by hand. */
  private static final class MovableClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MovableClock clock = new MovableClock();
  private final AtomicInteger crlRequests = new AtomicInteger();
  private final LongTermValidation.CrlSource fromTheCa = issuer -> {
    crlRequests.incrementAndGet();
    return List.of(WORLD.municipalCa().crl(Duration.ofDays(1)));
  };
  private final LongTermValidation longTerm =
      new LongTermValidation(clock, Duration.ofHours(1), List.of(WORLD.municipalCa().certificate()), fromTheCa);

  private byte[] timestamped(HeldCertificate signer, TrustWorld world) {
    PadesSigner pades = new PadesSigner(clock, new TimeStampAuthority(world.timestampingUnit(), clock));
    return pades.sign(unsigned(), signer);
  }

  private static byte[] unsigned() {
    return RENDERER.render(
        SampleCertificates.all().get(CertificateType.RESIDENCE), SampleCertificates.meta("KF-20261126-000123"));
  }

  @Test
  void aTimestampedDocumentBecomesBaselineLt() throws Exception {
    byte[] signed = timestamped(CHIYODA, WORLD);

    byte[] extended = longTerm.extend(signed, CHIYODA);

    assertThat(Arrays.copyOf(extended, signed.length)).as("the signed bytes are untouched").isEqualTo(signed);
    assertThat(extended.length - signed.length).as("the DSS update is small").isBetween(1, 8 * 1024);
    VerifiedDocument verified = SignedDocuments.verify(extended, ANCHORS);
    assertThat(verified.level()).isEqualTo(PadesLevel.B_LT);
    assertThat(verified.timestampTime()).isNotNull();
    assertThat(verified.sha256Hex()).isEqualTo(HexFormat.of().formatHex(X509.sha256(extended)));
    assertThat(SignedDocuments.verify(signed, ANCHORS).level()).isEqualTo(PadesLevel.B_T);
  }

  @Test
  void theValidationDataIsPreparedOncePerFreshnessWindow() throws Exception {
    byte[] first = longTerm.extend(timestamped(CHIYODA, WORLD), CHIYODA);
    int perPreparation = crlRequests.get();
    byte[] second = longTerm.extend(timestamped(CHIYODA, WORLD), CHIYODA);
    longTerm.extend(timestamped(CHIYODA, WORLD), CHIYODA);

    assertThat(perPreparation).isPositive();
    assertThat(crlRequests.get()).as("the same DSS for the whole window").isEqualTo(perPreparation);
    assertThat(dssPart(first)).isEqualTo(dssPart(second));

    clock.advance(Duration.ofMinutes(61));
    byte[] later = longTerm.extend(timestamped(CHIYODA, WORLD), CHIYODA);

    assertThat(crlRequests.get()).as("prepared again once the window has passed").isEqualTo(2 * perPreparation);
    assertThat(SignedDocuments.verify(later, ANCHORS).level()).isEqualTo(PadesLevel.B_LT);
  }

  @Test
  void aDocumentWithCrossReferenceStreamsIsExtendedToo() throws Exception {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (PDDocument document = Loader.loadPDF(unsigned())) {
      document.save(compressed, CompressParameters.DEFAULT_COMPRESSION);
    }
    PadesSigner pades = new PadesSigner(clock, new TimeStampAuthority(WORLD.timestampingUnit(), clock));
    byte[] signed = pades.sign(compressed.toByteArray(), CHIYODA);
    assertThat(PdfObjects.read(signed).sections.get(0).stream()).as("the signed revision ends with an xref stream").isTrue();

    byte[] extended = longTerm.extend(signed, CHIYODA);

    assertThat(PdfObjects.read(extended).sections.get(0).stream()).isTrue();
    VerifiedDocument verified = SignedDocuments.verify(extended, ANCHORS);
    assertThat(verified.level()).isEqualTo(PadesLevel.B_LT);
    assertThat(verified.documentNumber()).as("read from an object stream").isEqualTo("KF-20261126-000123");
    try (PDDocument reread = Loader.loadPDF(extended)) {
      assertThat(reread.getDocumentCatalog().getCOSObject().getDictionaryObject("DSS")).isNotNull();
    }
  }

  @Test
  void withoutRevocationDataTheDocumentStaysBaselineT() throws Exception {
    LongTermValidation unreachable = new LongTermValidation(
        clock, Duration.ofHours(1), ANCHORS, issuer -> {
          throw new IOException("connection refused");
        });
    byte[] signed = timestamped(CHIYODA, WORLD);

    byte[] same = unreachable.extend(signed, CHIYODA);

    assertThat(same).isSameAs(signed);
    assertThat(SignedDocuments.verify(same, ANCHORS).level()).isEqualTo(PadesLevel.B_T);
  }

  @Test
  void aBaselineBSignatureIsLeftAlone() throws Exception {
    byte[] signed = new PadesSigner(clock).sign(unsigned(), CHIYODA);

    assertThat(longTerm.extend(signed, CHIYODA)).isSameAs(signed);
    assertThat(SignedDocuments.verify(signed, ANCHORS).level()).isEqualTo(PadesLevel.B_B);
  }

  @Test
  void aRevokedSignerIsNeitherExtendedNorAccepted() throws Exception {
    TrustWorld world = TrustWorld.generate();
    HeldCertificate revoked = world.municipalSigner("131016", "千代田区");
    world.revoke(revoked.certificate());
    // Signed (and stamped) well after the revocation, whatever the world's set-up took.
    clock.advance(Duration.ofMinutes(10));
    byte[] signed = timestamped(revoked, world);
    X509CRL crl = world.municipalCa().crl(Duration.ofDays(1));
    LongTermValidation fromThatCa = new LongTermValidation(
        clock, Duration.ofHours(1), List.of(world.municipalCa().certificate()), issuer -> List.of(crl));

    assertThatThrownBy(() -> fromThatCa.extend(signed, revoked))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("revoked");

    byte[] extended = DssUpdate.append(signed, new DssUpdate.ValidationData(
        List.of(revoked.certificate().getEncoded()), List.of(crl.getEncoded()), List.of()));
    assertThatThrownBy(() -> SignedDocuments.verify(extended, List.of(world.municipalCa().certificate())))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.UNTRUSTED))
        .hasMessageContaining("revoked");
  }

  @Test
  void aSecondUpdateAfterTheDssIsRefused() throws Exception {
    byte[] extended = longTerm.extend(timestamped(CHIYODA, WORLD), CHIYODA);
    ByteArrayOutputStream updated = new ByteArrayOutputStream();
    try (PDDocument document = Loader.loadPDF(extended)) {
      var info = document.getDocumentInformation();
      info.setCustomMetadataValue("KofuBinding", "00".repeat(32));
      info.getCOSObject().setNeedToBeUpdated(true);
      document.saveIncremental(updated);
    }

    assertRefused(updated.toByteArray(), "more than one");
  }

  @Test
  void anUpdateThatReplacesASignedObjectIsRefused() throws Exception {
    byte[] signed = timestamped(CHIYODA, WORLD);
    PdfObjects doc = PdfObjects.read(signed);
    var info = (PdfObjects.Ref) doc.trailer().get("Info");
    Map<String, Object> forged = new LinkedHashMap<>(doc.dictionary(info));
    forged.put("KofuBinding", new PdfObjects.PdfString("00".repeat(32).getBytes(StandardCharsets.US_ASCII), null, 0, 0));

    assertRefused(update(signed, Map.of(info.number(), render(forged)), null), "replaces object " + info.number());
  }

  @Test
  void anUpdateWhoseCatalogChangesMoreThanTheDssIsRefused() throws Exception {
    byte[] signed = timestamped(CHIYODA, WORLD);
    PdfObjects doc = PdfObjects.read(signed);
    var root = (PdfObjects.Ref) doc.trailer().get("Root");
    int size = PdfObjects.intValue(doc.trailer().get("Size"));
    Map<String, Object> catalog = new LinkedHashMap<>(doc.dictionary(root));
    catalog.put("DSS", new PdfObjects.Ref(size, 0));
    catalog.put("OpenAction", List.of(new PdfObjects.Ref(6, 0), new PdfObjects.Name("Fit")));
    Map<Integer, String> objects = new LinkedHashMap<>();
    objects.put(root.number(), render(catalog));
    objects.put(size, "<</Type/DSS>>");

    assertRefused(update(signed, objects, null), "catalog differs");
  }

  @Test
  void aDssStreamThatIsNotWhatItsKeySaysIsRefused() throws Exception {
    byte[] signed = timestamped(CHIYODA, WORLD);
    assertRefused(dssWith(signed, "<</Length 5>>\nstream\nBT ET\nendstream", false), "not what the key says");
  }

  @Test
  void anUpdateWithAnObjectOutsideTheDssIsRefused() throws Exception {
    byte[] signed = timestamped(CHIYODA, WORLD);
    byte[] der = WORLD.municipalCa().certificate().getEncoded();
    String certificate = "<</Length " + der.length + ">>\nstream\n" + new String(der, StandardCharsets.ISO_8859_1) + "\nendstream";
    assertRefused(dssWith(signed, certificate, true), "not part of its DSS");
  }

  /** A DSS update with one certificate stream {@code stream}, and optionally an unreferenced extra object. */
  private static byte[] dssWith(byte[] signed, String stream, boolean extra) throws Exception {
    PdfObjects doc = PdfObjects.read(signed);
    var root = (PdfObjects.Ref) doc.trailer().get("Root");
    int size = PdfObjects.intValue(doc.trailer().get("Size"));
    Map<String, Object> catalog = new LinkedHashMap<>(doc.dictionary(root));
    catalog.put("DSS", new PdfObjects.Ref(size + 1, 0));
    Map<Integer, String> objects = new LinkedHashMap<>();
    objects.put(root.number(), render(catalog));
    objects.put(size, stream);
    objects.put(size + 1, "<</Type/DSS/Certs[" + size + " 0 R]>>");
    if (extra) {
      objects.put(size + 2, "<</Type/Annot/Subtype/Text/Rect[0 0 10 10]>>");
    }
    return update(signed, objects, null);
  }

  private static void assertRefused(byte[] pdf, String why) {
    assertThatThrownBy(() -> SignedDocuments.verify(pdf, ANCHORS))
        .isInstanceOfSatisfying(DocumentVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.INCOMPLETE_COVERAGE))
        .hasMessageContaining("after the signed range")
        .hasMessageContaining(why);
  }

  /** Appends an incremental update with {@code objects} (number → body) and a table, trailer as the signed one's. */
  private static byte[] update(byte[] pdf, Map<Integer, String> objects, String unused) throws Exception {
    PdfObjects doc = PdfObjects.read(pdf);
    Map<String, Object> trailer = doc.trailer();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(pdf);
    Map<Integer, Integer> offsets = new java.util.TreeMap<>();
    for (var e : objects.entrySet()) {
      offsets.put(e.getKey(), out.size());
      out.writeBytes((e.getKey() + " 0 obj\n" + e.getValue() + "\nendobj\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    int xref = out.size();
    StringBuilder x = new StringBuilder("xref\n");
    for (var e : offsets.entrySet()) {
      x.append(e.getKey()).append(" 1\n").append(String.format("%010d 00000 n\r\n", e.getValue()));
    }
    int size = Math.max(PdfObjects.intValue(trailer.get("Size")), offsets.keySet().stream().mapToInt(i -> i + 1).max().orElse(0));
    Map<String, Object> newTrailer = new LinkedHashMap<>(trailer);
    newTrailer.put("Size", (long) size);
    newTrailer.put("Prev", (long) doc.sections.get(0).offset());
    x.append("trailer\n").append(render(newTrailer)).append("\nstartxref\n").append(xref).append("\n%%EOF\n");
    out.writeBytes(x.toString().getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static String render(Object value) {
    return switch (value) {
      case Map<?, ?> map -> {
        StringBuilder b = new StringBuilder("<<");
        map.forEach((k, v) -> b.append('/').append(k).append(' ').append(render(v)));
        yield b.append(">>").toString();
      }
      case List<?> list -> "[" + String.join(" ", list.stream().map(LongTermValidationTest::render).toList()) + "]";
      case PdfObjects.Name n -> "/" + n.value();
      case PdfObjects.PdfString s -> "<" + HexFormat.of().formatHex(s.bytes) + ">";
      case PdfObjects.Ref r -> r.text();
      default -> String.valueOf(value);
    };
  }

  private static byte[] dssPart(byte[] extended) throws Exception {
    PdfObjects doc = PdfObjects.read(extended);
    return Arrays.copyOfRange(extended, doc.sections.get(1).end(), doc.sections.get(0).offset());
  }
}

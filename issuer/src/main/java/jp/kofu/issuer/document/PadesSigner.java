package jp.kofu.issuer.document;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneId;
import java.util.GregorianCalendar;
import java.util.Objects;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.X509;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import jp.kofu.issuer.timestamp.TimeStampSource;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs a rendered certificate the PAdES way (ETSI EN 319 142-1, baseline B-T, or B-B without a
 * time-stamp source): an incremental
 * update adds a signature dictionary (Adobe.PPKLite, ETSI.CAdES.detached, the signing time in /M)
 * whose /Contents holds a detached CMS SignedData over the byte range. The signed attributes are
 * content-type, message-digest and ESS signing-certificate-v2 (RFC 5035); no signing-time, which
 * PAdES forbids in favour of /M. The signer's chain goes into the CMS so a verifier needs only the
 * trust anchor.
 *
 * <p>With a {@link TimeStampSource}, the signature value is stamped (RFC 3161) and the token added as
 * the unsigned signature-time-stamp attribute (RFC 3161 Appendix A, id-aa-signatureTimeStampToken):
 * baseline B-T, the time the signature existed attested by someone other than the signer.
 *
 * <p>The signature field's widget is invisible (zero size) but marked printable, as PDF/A-2 wants
 * of every annotation, so the signed document stays PDF/A-2b.
 *
 * <p>/Contents reserves {@value #RESERVED_CONTENTS} bytes: a signature with a short chain needs
 * about 2 KiB, its timestamp token with the TSU's chain about 2 KiB more.
 *
 * <p>Thread-safe: nothing is shared between calls except immutable configuration.
 */
public final class PadesSigner {
  /** Bytes reserved for the CMS in /Contents (twice as many hex digits in the file). */
  public static final int RESERVED_CONTENTS = 16 * 1024;

  private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
  private static final DigestCalculatorProvider DIGESTS;

  static {
    try {
      DIGESTS = new JcaDigestCalculatorProviderBuilder().build();
    } catch (OperatorCreationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Clock clock;
  private final TimeStampSource timestamps;

  /** A B-B signer on the system clock. */
  public PadesSigner() {
    this(Clock.systemUTC());
  }

  /** A B-B signer (no timestamp) whose /M signing time comes from {@code clock}. */
  public PadesSigner(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timestamps = null;
  }

  /** A B-T signer: /M from {@code clock}, the signature timestamped by {@code timestamps}. */
  public PadesSigner(Clock clock, TimeStampSource timestamps) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timestamps = Objects.requireNonNull(timestamps, "timestamps");
  }

  /** Whether signatures get a timestamp (baseline B-T). */
  public boolean timestamps() {
    return timestamps != null;
  }

  /**
   * Returns {@code unsignedPdf} with one PAdES signature by {@code signer} appended.
   *
   * @throws IllegalArgumentException when the input is not a PDF or is already signed
   */
  public byte[] sign(byte[] unsignedPdf, HeldCertificate signer) {
    return signCounted(unsignedPdf, signer).pdf();
  }

  /** A signed PDF and its page count (read while signing, so nobody parses the file again for it). */
  public record Signed(byte[] pdf, int pageCount) {}

  /** Signs, and says how many pages the document has. */
  public Signed signCounted(byte[] unsignedPdf, HeldCertificate signer) {
    Objects.requireNonNull(unsignedPdf, "unsignedPdf");
    Objects.requireNonNull(signer, "signer");
    try (PDDocument document = load(unsignedPdf);
        SignatureOptions options = new SignatureOptions()) {
      if (!document.getSignatureDictionaries().isEmpty()) {
        throw new IllegalArgumentException("unsignedPdf: already signed (expected: an unsigned document)");
      }
      PDSignature signature = new PDSignature();
      signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
      signature.setSubFilter(PDSignature.SUBFILTER_ETSI_CADES_DETACHED);
      signature.setSignDate(GregorianCalendar.from(clock.instant().atZone(JAPAN)));
      options.setPreferredSignatureSize(RESERVED_CONTENTS);
      document.addSignature(signature, options);
      markWidgetsPrintable(document);

      ByteArrayOutputStream out = new ByteArrayOutputStream(unsignedPdf.length + 2 * RESERVED_CONTENTS + 4096);
      ExternalSigningSupport external = document.saveIncrementalForExternalSigning(out);
      byte[] cms = cms(external.getContent().readAllBytes(), signer, timestamps);
      if (cms.length > RESERVED_CONTENTS) {
        throw new IllegalStateException(
            "signature: " + cms.length + " bytes (expected: at most " + RESERVED_CONTENTS + "); is the chain too long?");
      }
      external.setSignature(cms);
      return new Signed(out.toByteArray(), document.getNumberOfPages());
    } catch (IOException e) {
      throw new UncheckedIOException("signing the document failed", e);
    }
  }

  /** What a document rendered for this signer reserves: /M now, {@link #RESERVED_CONTENTS} bytes. */
  CertificatePdf.SignatureReservation reservation() {
    return new CertificatePdf.SignatureReservation(clock.instant().atZone(JAPAN), RESERVED_CONTENTS);
  }

  /**
   * Signs a document written with a reserved signature ({@link CertificatePdf}): fills in the
   * /ByteRange (everything but the /Contents hex string), computes the CMS over those two ranges
   * and writes it into /Contents. The bytes are changed in place; nothing is parsed or saved again.
   */
  Signed complete(CertificatePdf.Written written, HeldCertificate signer) {
    Objects.requireNonNull(signer, "signer");
    if (!written.reserved()) {
      throw new IllegalArgumentException("written: no reserved signature");
    }
    byte[] pdf = written.pdf();
    int start = written.contentsStart();
    int end = written.contentsEnd();
    String range = "[0 " + start + " " + end + " " + (pdf.length - end) + "]";
    int width = CertificatePdf.BYTE_RANGE_PLACEHOLDER.length();
    if (range.length() > width) {
      throw new IllegalStateException("byte range does not fit its placeholder");
    }
    fill(pdf, written.byteRangeAt(), range, width);
    byte[] cms = cms(new ByteRangeContent(pdf, start, end), signer, timestamps);
    if (2 * cms.length > end - start - 2) {
      throw new IllegalStateException(
          "signature: " + cms.length + " bytes (expected: at most " + (end - start - 2) / 2 + "); is the chain too long?");
    }
    byte[] hex = java.util.HexFormat.of().formatHex(cms).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(hex, 0, pdf, start + 1, hex.length);
    return new Signed(pdf, written.pageCount());
  }

  /**
   * Writes {@code text} at {@code at}, padded with spaces to {@code width}. A method of its own:
   * C2 deoptimised complete() at this loop's bound (profile_predicate) and compiled it again.
   */
  private static void fill(byte[] pdf, int at, String text, int width) {
    for (int i = 0; i < width; i++) {
      pdf[at + i] = (byte) (i < text.length() ? text.charAt(i) : ' ');
    }
  }

  /** The signed content of a PDF: all its bytes but the /Contents hex string, without copying them. */
  private record ByteRangeContent(byte[] pdf, int start, int end) implements CMSTypedData {
    @Override
    public ASN1ObjectIdentifier getContentType() {
      return CMSObjectIdentifiers.data;
    }

    @Override
    public void write(java.io.OutputStream out) throws IOException {
      out.write(pdf, 0, start);
      out.write(pdf, end, pdf.length - end);
    }

    /** Non-null, or BouncyCastle skips {@link #write} and digests nothing (the CMS stays detached). */
    @Override
    public Object getContent() {
      return pdf;
    }
  }

  private static PDDocument load(byte[] pdf) {
    try {
      return Loader.loadPDF(pdf);
    } catch (IOException e) {
      throw new IllegalArgumentException("unsignedPdf: not a readable PDF (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /**
   * PDF/A-2 (6.3.2) wants every annotation printable; PDFBox creates the invisible signature
   * widget without flags. The widget is new in this revision, so changing it is part of what the
   * signature covers.
   */
  private static void markWidgetsPrintable(PDDocument document) throws IOException {
    var form = document.getDocumentCatalog().getAcroForm(null);
    if (form == null) {
      return;
    }
    for (var field : form.getFieldTree()) {
      if (field instanceof PDSignatureField sig) {
        for (PDAnnotationWidget widget : sig.getWidgets()) {
          widget.setPrinted(true);
          widget.getCOSObject().setNeedToBeUpdated(true);
        }
      }
    }
  }

  /** The detached CMS SignedData over {@code content}, with the PAdES signed attributes. */
  static byte[] cms(byte[] content, HeldCertificate signer) {
    return cms(content, signer, null);
  }

  /** The same, with a signature-time-stamp attribute from {@code timestamps} unless null. */
  static byte[] cms(byte[] content, HeldCertificate signer, TimeStampSource timestamps) {
    return cms(new CMSProcessableByteArray(content), signer, timestamps);
  }

  private static byte[] cms(CMSTypedData content, HeldCertificate signer, TimeStampSource timestamps) {
    try {
      Prepared prepared = prepared(signer);
      ContentSigner contentSigner =
          new JcaContentSignerBuilder(signatureAlgorithm(signer)).build(signer.privateKey());
      Attribute signingCertificate = prepared.signingCertificate();
      // BouncyCastle's default generator adds a signing-time attribute; PAdES forbids it (the time
      // is in the signature dictionary's /M), so it is taken out again.
      CMSAttributeTableGenerator signedAttributes =
          parameters ->
              new DefaultSignedAttributeTableGenerator(new AttributeTable(signingCertificate))
                  .getAttributes(parameters)
                  .remove(CMSAttributes.signingTime);
      CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
      generator.addSignerInfoGenerator(
          new JcaSignerInfoGeneratorBuilder(DIGESTS)
              .setSignedAttributeGenerator(signedAttributes)
              .build(contentSigner, prepared.holder()));
      generator.addCertificates(prepared.chain());
      CMSSignedData signed = generator.generate(content, false);
      if (timestamps != null) {
        signed = withSignatureTimestamp(signed, timestamps);
      }
      return signed.getEncoded(ASN1Encoding.DER);
    } catch (OperatorCreationException | CMSException | GeneralSecurityException e) {
      throw new IllegalStateException("creating the CMS signature failed", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stamps the signature value and adds the token as an unsigned attribute of the one signer. */
  private static CMSSignedData withSignatureTimestamp(CMSSignedData signed, TimeStampSource timestamps)
      throws IOException {
    SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
    byte[] token = timestamps.timestamp(X509.sha256(signer.getSignature()));
    Attribute attribute =
        new Attribute(
            PKCSObjectIdentifiers.id_aa_signatureTimeStampToken,
            new DERSet(ASN1Primitive.fromByteArray(token)));
    SignerInformation stamped = SignerInformation.replaceUnsignedAttributes(signer, new AttributeTable(attribute));
    return CMSSignedData.replaceSigners(signed, new SignerInformationStore(stamped));
  }

  /**
   * What a signature needs of the signer's certificates and is the same for every document it
   * signs: the certificate and its chain parsed into BouncyCastle's form, and the ESS
   * signing-certificate-v2 attribute. Made once per chain (they were ~3 % of the allocation per
   * issuance, the certificates parsed again per signature); immutable, so shared across threads.
   */
  private record Prepared(JcaX509CertificateHolder holder, JcaCertStore chain, Attribute signingCertificate) {}

  private static final int MAX_PREPARED = 1024;
  private static final java.util.Map<java.util.List<X509Certificate>, Prepared> PREPARED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Prepared prepared(HeldCertificate signer) throws GeneralSecurityException {
    // Keyed by the chain's certificates (equal when their encodings are): a renewed key or
    // certificate is another chain, prepared afresh.
    java.util.List<X509Certificate> chain = signer.chain();
    Prepared p = PREPARED.get(chain);
    if (p == null) {
      X509Certificate certificate = signer.certificate();
      p = new Prepared(new JcaX509CertificateHolder(certificate), new JcaCertStore(chain), signingCertificateV2(certificate));
      if (PREPARED.size() >= MAX_PREPARED) {
        PREPARED.clear();
      }
      PREPARED.put(java.util.List.copyOf(chain), p);
    }
    return p;
  }

  private static String signatureAlgorithm(HeldCertificate signer) {
    return switch (signer.privateKey().getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> throw new IllegalArgumentException(
          "signer: " + signer.privateKey().getAlgorithm() + " key (expected: RSA or EC)");
    };
  }

  /** ESS signing-certificate-v2: binds the signature to the signer's certificate (RFC 5035). */
  private static Attribute signingCertificateV2(X509Certificate certificate) throws CertificateEncodingException {
    ESSCertIDv2 id =
        new ESSCertIDv2(
            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256),
            X509.sha256(certificate.getEncoded()),
            new IssuerSerial(new JcaX509CertificateHolder(certificate).getIssuer(), certificate.getSerialNumber()));
    return new Attribute(
        PKCSObjectIdentifiers.id_aa_signingCertificateV2, new DERSet(new SigningCertificateV2(new ESSCertIDv2[] {id})));
  }
}

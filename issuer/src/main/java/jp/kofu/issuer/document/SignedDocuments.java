package jp.kofu.issuer.document;

import static jp.kofu.issuer.document.DocumentMeta.INFO_BINDING;
import static jp.kofu.issuer.document.DocumentMeta.INFO_CERTIFICATE_TYPE;
import static jp.kofu.issuer.document.DocumentMeta.INFO_DOCUMENT_NUMBER;
import static jp.kofu.issuer.document.DocumentMeta.INFO_MUNICIPALITY_CODE;
import static jp.kofu.issuer.document.DocumentVerificationException.Problem.CONTENT;
import static jp.kofu.issuer.document.DocumentVerificationException.Problem.INCOMPLETE_COVERAGE;
import static jp.kofu.issuer.document.DocumentVerificationException.Problem.KEY_USAGE;
import static jp.kofu.issuer.document.DocumentVerificationException.Problem.MALFORMED;
import static jp.kofu.issuer.document.DocumentVerificationException.Problem.SIGNATURE_COUNT;
import static jp.kofu.issuer.document.DocumentVerificationException.Problem.SIGNATURE_INVALID;
import static jp.kofu.issuer.document.DocumentVerificationException.Problem.TIMESTAMP;
import static jp.kofu.issuer.document.DocumentVerificationException.Problem.UNTRUSTED;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.pki.X509;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Verifies kofu's signed certificates: the checks the gateway makes before relaying a document,
 * and that anyone holding the municipal trust anchor can repeat.
 *
 * <p>A document passes when it has exactly one PAdES signature; the signature's byte range covers
 * the whole file except its own /Contents (nothing appended, nothing left unsigned); the CMS
 * signature verifies over that range; its signer chains to a trust anchor (PKIX, intermediates
 * from the CMS, no revocation check) and has a signing key usage; and kofu's Info entries are
 * present and name the signer's municipality.
 *
 * <p>A signature timestamp (PAdES B-T), when present, must verify too: its message imprint is the
 * digest of this signature's value, its token signature verifies, its signer is a time-stamping
 * unit (id-kp-timeStamping) chaining to a trust anchor at the token's time, and that time is not
 * before the claimed signing time /M (less a minute of clock skew) and lies within the signer
 * certificate's validity. {@link #verifyTimestamped} also requires one.
 */
public final class SignedDocuments {
  private static final String CADES_DETACHED = "ETSI.CAdES.detached";

  private SignedDocuments() {}

  /** Verifies {@code pdf} now; see the class comment for what is checked. */
  public static VerifiedDocument verify(byte[] pdf, Collection<X509Certificate> trustAnchors)
      throws DocumentVerificationException {
    return verify(pdf, trustAnchors, Instant.now());
  }

  /** Verifies {@code pdf} now and requires a signature timestamp (PAdES B-T). */
  public static VerifiedDocument verifyTimestamped(byte[] pdf, Collection<X509Certificate> trustAnchors)
      throws DocumentVerificationException {
    VerifiedDocument document = verify(pdf, trustAnchors, Instant.now());
    if (!document.timestamped()) {
      throw new DocumentVerificationException(TIMESTAMP, "the signature has no timestamp (expected: PAdES baseline B-T)");
    }
    return document;
  }

  /** Verifies {@code pdf}, judging certificate validity at {@code at}. */
  public static VerifiedDocument verify(byte[] pdf, Collection<X509Certificate> trustAnchors, Instant at)
      throws DocumentVerificationException {
    Objects.requireNonNull(pdf, "pdf");
    Objects.requireNonNull(trustAnchors, "trustAnchors");
    Objects.requireNonNull(at, "at");
    if (trustAnchors.isEmpty()) {
      throw new IllegalArgumentException("trustAnchors: empty (expected: at least one)");
    }
    try (PDDocument document = load(pdf)) {
      PDSignature signature = onlySignature(document);
      int[] range = checkCoverage(signature, pdf);
      byte[] signedBytes = signedBytes(pdf, range);
      byte[] cms = contents(pdf, range);

      CMSSignedData signedData = parseCms(signedBytes, cms);
      SignerInformation signer = onlySigner(signedData);
      List<X509Certificate> embedded = certificates(signedData);
      X509Certificate signerCertificate = signerCertificate(signedData, signer);
      checkSignature(signer, signerCertificate);
      checkSigningCertificateAttribute(signer, signerCertificate);
      checkKeyUsage(signerCertificate);
      checkTrust(signerCertificate, embedded, trustAnchors, at);

      String municipalityCode = X509.subjectAttribute(signerCertificate, BCStyle.SERIALNUMBER);
      if (municipalityCode == null || !municipalityCode.matches("[0-9]{6}")) {
        throw new DocumentVerificationException(
            UNTRUSTED, "signer certificate names no municipality (expected: a 6-digit subject serialNumber)");
      }
      // The byte range ends at the end of the file, so the document as parsed is the signed
      // revision: every Info entry read below is covered by the signature.
      Info info = info(document.getDocumentInformation(), municipalityCode);
      Calendar signDate = signature.getSignDate();
      if (signDate == null) {
        throw new DocumentVerificationException(MALFORMED, "signature dictionary has no signing time /M");
      }
      Instant stamped = Timestamps.check(signer, signerCertificate, trustAnchors, signDate.toInstant());
      return new VerifiedDocument(
          signerCertificate,
          municipalityCode,
          info.bindingHex,
          info.documentNumber,
          info.type,
          document.getNumberOfPages(),
          signDate.toInstant(),
          HexFormat.of().formatHex(sha256(pdf)),
          stamped);
    } catch (IOException e) {
      throw new DocumentVerificationException(MALFORMED, "unreadable PDF (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static PDDocument load(byte[] pdf) throws DocumentVerificationException {
    try {
      return Loader.loadPDF(pdf);
    } catch (IOException e) {
      // PDFBox's message may quote the document's bytes; keep it in the cause only.
      throw new DocumentVerificationException(MALFORMED, "not a readable PDF (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static PDSignature onlySignature(PDDocument document) throws DocumentVerificationException {
    List<PDSignature> signatures = document.getSignatureDictionaries();
    if (signatures.size() != 1) {
      throw new DocumentVerificationException(
          SIGNATURE_COUNT, signatures.size() + " signatures (expected: exactly one)");
    }
    PDSignature signature = signatures.get(0);
    if (!CADES_DETACHED.equals(signature.getSubFilter())) {
      throw new DocumentVerificationException(
          MALFORMED, "signature subfilter " + signature.getSubFilter() + " (expected: " + CADES_DETACHED + ")");
    }
    return signature;
  }

  /**
   * The byte range must be [0, a, b, c] with b + c the file's length, and the gap between a and b
   * exactly the hex string of /Contents: then every other byte of the file is signed.
   */
  private static int[] checkCoverage(PDSignature signature, byte[] pdf) throws DocumentVerificationException {
    int[] range = signature.getByteRange();
    if (range == null || range.length != 4) {
      throw new DocumentVerificationException(MALFORMED, "signature has no byte range of 4 numbers");
    }
    long start = range[0];
    long gapStart = range[1];
    long gapEnd = range[2];
    long end = (long) range[2] + range[3];
    if (start != 0 || gapStart <= 0 || gapEnd <= gapStart || range[3] < 0 || end > pdf.length) {
      throw new DocumentVerificationException(
          INCOMPLETE_COVERAGE, "byte range [" + range[0] + " " + range[1] + " " + range[2] + " " + range[3]
              + "] is not a range of this " + pdf.length + "-byte file");
    }
    if (end != pdf.length) {
      throw new DocumentVerificationException(
          INCOMPLETE_COVERAGE, (pdf.length - end) + " bytes after the signed range (an incremental update was appended)");
    }
    if (pdf[(int) gapStart] != '<' || pdf[(int) gapEnd - 1] != '>' || gapEnd - gapStart < 2) {
      throw new DocumentVerificationException(
          INCOMPLETE_COVERAGE, "the unsigned gap of the byte range is not the signature's hex string");
    }
    for (int i = (int) gapStart + 1; i < gapEnd - 1; i++) {
      if (Character.digit(pdf[i], 16) < 0) {
        throw new DocumentVerificationException(
            INCOMPLETE_COVERAGE, "the unsigned gap of the byte range holds more than the signature's hex string");
      }
    }
    return range;
  }

  private static byte[] signedBytes(byte[] pdf, int[] range) {
    byte[] signed = new byte[range[1] + range[3]];
    System.arraycopy(pdf, 0, signed, 0, range[1]);
    System.arraycopy(pdf, range[2], signed, range[1], range[3]);
    return signed;
  }

  private static byte[] contents(byte[] pdf, int[] range) throws DocumentVerificationException {
    int from = range[1] + 1;
    int to = range[2] - 1;
    if ((to - from) % 2 != 0) {
      throw new DocumentVerificationException(MALFORMED, "signature /Contents has an odd number of hex digits");
    }
    byte[] bytes = new byte[(to - from) / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (Character.digit(pdf[from + 2 * i], 16) << 4 | Character.digit(pdf[from + 2 * i + 1], 16));
    }
    return bytes;
  }

  private static CMSSignedData parseCms(byte[] signedBytes, byte[] contents) throws DocumentVerificationException {
    try (ASN1InputStream in = new ASN1InputStream(new ByteArrayInputStream(contents))) {
      ASN1Primitive object = in.readObject();
      if (object == null) {
        throw new DocumentVerificationException(MALFORMED, "signature /Contents is empty");
      }
      // The reserved space after the CMS is zero padding; anything else there is not ours.
      int padding = in.available();
      for (int i = contents.length - padding; i < contents.length; i++) {
        if (contents[i] != 0) {
          throw new DocumentVerificationException(MALFORMED, "signature /Contents has data after the CMS");
        }
      }
      CMSSignedData signedData = new CMSSignedData(new CMSProcessableByteArray(signedBytes), ContentInfo.getInstance(object));
      if (!signedData.isDetachedSignature()) {
        throw new DocumentVerificationException(MALFORMED, "CMS signature is not detached (expected: ETSI.CAdES.detached)");
      }
      return signedData;
    } catch (IOException | CMSException | IllegalArgumentException e) {
      throw new DocumentVerificationException(MALFORMED, "signature /Contents is not a CMS SignedData", e);
    }
  }

  private static SignerInformation onlySigner(CMSSignedData signedData) throws DocumentVerificationException {
    Collection<SignerInformation> signers = signedData.getSignerInfos().getSigners();
    if (signers.size() != 1) {
      throw new DocumentVerificationException(
          SIGNATURE_COUNT, "CMS has " + signers.size() + " signers (expected: exactly one)");
    }
    return signers.iterator().next();
  }

  private static List<X509Certificate> certificates(CMSSignedData signedData) throws DocumentVerificationException {
    List<X509Certificate> certificates = new ArrayList<>();
    for (X509CertificateHolder holder : signedData.getCertificates().getMatches(null)) {
      certificates.add(toCertificate(holder));
    }
    return certificates;
  }

  private static X509Certificate signerCertificate(CMSSignedData signedData, SignerInformation signer)
      throws DocumentVerificationException {
    for (X509CertificateHolder holder : signedData.getCertificates().getMatches(null)) {
      if (signer.getSID().match(holder)) {
        return toCertificate(holder);
      }
    }
    throw new DocumentVerificationException(MALFORMED, "the signer's certificate is not in the signature");
  }

  private static X509Certificate toCertificate(X509CertificateHolder holder) throws DocumentVerificationException {
    try {
      return X509.parse(holder.getEncoded());
    } catch (IOException | CertificateException e) {
      throw new DocumentVerificationException(MALFORMED, "a certificate in the signature is malformed", e);
    }
  }

  private static void checkSignature(SignerInformation signer, X509Certificate certificate)
      throws DocumentVerificationException {
    if (signer.getSignedAttributes() == null) {
      throw new DocumentVerificationException(SIGNATURE_INVALID, "CMS signer has no signed attributes (expected: CAdES)");
    }
    try {
      if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate))) {
        throw new DocumentVerificationException(SIGNATURE_INVALID, "signature value does not verify with the signer's key");
      }
    } catch (CMSSignerDigestMismatchException e) {
      throw new DocumentVerificationException(
          SIGNATURE_INVALID, "message digest does not match the signed byte range: the document was changed", e);
    } catch (CMSException | OperatorCreationException e) {
      throw new DocumentVerificationException(SIGNATURE_INVALID, "signature does not verify: " + e.getMessage(), e);
    }
  }

  /** ESS signing-certificate-v2 must name the certificate that verified the signature. */
  private static void checkSigningCertificateAttribute(SignerInformation signer, X509Certificate certificate)
      throws DocumentVerificationException {
    AttributeTable attributes = signer.getSignedAttributes();
    Attribute attribute = attributes.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2);
    if (attribute == null || attribute.getAttrValues().size() != 1) {
      throw new DocumentVerificationException(
          SIGNATURE_INVALID, "signed attributes lack signing-certificate-v2 (expected: CAdES/PAdES)");
    }
    try {
      ESSCertIDv2[] ids = SigningCertificateV2.getInstance(attribute.getAttrValues().getObjectAt(0)).getCerts();
      if (ids.length == 0) {
        throw new DocumentVerificationException(SIGNATURE_INVALID, "signing-certificate-v2 names no certificate");
      }
      String algorithm = ids[0].getHashAlgorithm().getAlgorithm().getId();
      byte[] expected = MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
      if (!MessageDigest.isEqual(expected, ids[0].getCertHash())) {
        throw new DocumentVerificationException(
            SIGNATURE_INVALID, "signing-certificate-v2 names another certificate than the signer's");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new DocumentVerificationException(SIGNATURE_INVALID, "signing-certificate-v2 cannot be checked", e);
    }
  }

  private static void checkKeyUsage(X509Certificate certificate) throws DocumentVerificationException {
    boolean[] usage = certificate.getKeyUsage();
    boolean signing = usage != null && ((usage.length > 0 && usage[0]) || (usage.length > 1 && usage[1]));
    if (!signing) {
      throw new DocumentVerificationException(
          KEY_USAGE, "signer certificate is not for signing (expected key usage: digitalSignature or nonRepudiation)");
    }
  }

  /**
   * Certificate paths already built, per (certificate, the certificates offered beside it, trust
   * anchors, UTC day): every document of a municipality carries the same chain, so PKIX builds it
   * once a day instead of twice per document (signer and timestamp). A hit still checks that every
   * certificate of the path is valid at the time asked, so a certificate that expires during the
   * day fails from that instant on. Only successes are kept; bounded by clearing.
   */
  private static final java.util.concurrent.ConcurrentHashMap<TrustKey, List<X509Certificate>> TRUSTED_PATHS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int MAX_TRUSTED_PATHS = 1024;

  private record TrustKey(X509Certificate certificate, List<X509Certificate> offered, Set<X509Certificate> anchors, long day) {}

  static void checkTrust(
      X509Certificate signer, List<X509Certificate> embedded, Collection<X509Certificate> trustAnchors, Instant at)
      throws DocumentVerificationException {
    TrustKey key = new TrustKey(signer, List.copyOf(embedded), Set.copyOf(trustAnchors), Math.floorDiv(at.getEpochSecond(), 86_400));
    List<X509Certificate> known = TRUSTED_PATHS.get(key);
    if (known != null && validAt(known, at)) {
      return;
    }
    List<X509Certificate> path = buildPath(signer, embedded, trustAnchors, at);
    if (TRUSTED_PATHS.size() >= MAX_TRUSTED_PATHS) {
      TRUSTED_PATHS.clear();
    }
    TRUSTED_PATHS.put(key, path);
  }

  private static boolean validAt(List<X509Certificate> path, Instant at) {
    Date when = Date.from(at);
    for (X509Certificate c : path) {
      try {
        c.checkValidity(when);
      } catch (java.security.cert.CertificateExpiredException | java.security.cert.CertificateNotYetValidException e) {
        return false;
      }
    }
    return true;
  }

  /** Builds the path with PKIX; returns its certificates and its anchor's. */
  private static List<X509Certificate> buildPath(
      X509Certificate signer, List<X509Certificate> embedded, Collection<X509Certificate> trustAnchors, Instant at)
      throws DocumentVerificationException {
    Set<TrustAnchor> anchors = new HashSet<>();
    for (X509Certificate anchor : trustAnchors) {
      anchors.add(new TrustAnchor(anchor, null));
    }
    X509CertSelector target = new X509CertSelector();
    target.setCertificate(signer);
    try {
      PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(at));
      parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(embedded)));
      var result = (java.security.cert.PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
      List<X509Certificate> path = new java.util.ArrayList<>();
      for (var c : result.getCertPath().getCertificates()) {
        path.add((X509Certificate) c);
      }
      path.add(result.getTrustAnchor().getTrustedCert());
      return path;
    } catch (CertPathBuilderException e) {
      throw new DocumentVerificationException(
          UNTRUSTED, "signer certificate does not chain to a trust anchor: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PKIX is not available", e);
    }
  }

  private record Info(String bindingHex, String documentNumber, CertificateType type) {}

  private static Info info(PDDocumentInformation info, String signerMunicipalityCode)
      throws DocumentVerificationException {
    String binding = info.getCustomMetadataValue(INFO_BINDING);
    if (binding == null || !binding.matches("[0-9a-f]{64}")) {
      throw new DocumentVerificationException(
          CONTENT, "Info " + INFO_BINDING + " missing or malformed (expected: 64 lowercase hex digits)");
    }
    String documentNumber = info.getCustomMetadataValue(INFO_DOCUMENT_NUMBER);
    if (documentNumber == null || documentNumber.isBlank()) {
      throw new DocumentVerificationException(CONTENT, "Info " + INFO_DOCUMENT_NUMBER + " missing");
    }
    String code = info.getCustomMetadataValue(INFO_MUNICIPALITY_CODE);
    if (!signerMunicipalityCode.equals(code)) {
      throw new DocumentVerificationException(
          CONTENT, "Info " + INFO_MUNICIPALITY_CODE + " " + code + " (expected: the signer's " + signerMunicipalityCode + ")");
    }
    String typeName = info.getCustomMetadataValue(INFO_CERTIFICATE_TYPE);
    CertificateType type;
    try {
      type = CertificateType.valueOf(Objects.requireNonNullElse(typeName, ""));
    } catch (IllegalArgumentException e) {
      throw new DocumentVerificationException(
          CONTENT, "Info " + INFO_CERTIFICATE_TYPE + " " + typeName + " is not a certificate type");
    }
    return new Info(binding, documentNumber, type);
  }

  private static byte[] sha256(byte[] data) {
    return X509.sha256(data);
  }
}

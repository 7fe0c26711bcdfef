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
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.pki.X509;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
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
 * the whole file except its own /Contents, and nothing follows it but, at most, kofu's one DSS
 * update ({@link DssUpdate}: validation data, the signed catalog plus /DSS, nothing else); the CMS
 * signature verifies over that range; its signer chains to a trust anchor (PKIX, intermediates
 * from the CMS) and has a signing key usage; and kofu's Info entries are present and name the
 * signer's municipality.
 *
 * <p>A signature timestamp (PAdES B-T), when present, must verify too: its message imprint is the
 * digest of this signature's value, its token signature verifies, its signer is a time-stamping
 * unit (id-kp-timeStamping) chaining to a trust anchor at the token's time, and that time is not
 * before the claimed signing time /M (less a minute of clock skew) and lies within the signer
 * certificate's validity. {@link #verifyTimestamped} also requires one. With a DSS whose CRLs,
 * signed by the issuers, were current at the timestamp's time for every certificate of both
 * chains below the anchor, the document is B-LT; a certificate those CRLs list as revoked before
 * that time is refused.
 *
 * <p>The file is not parsed as a whole: {@link PdfObjects} reads its cross-reference sections and
 * the handful of objects the checks need (catalog, form fields, signature, Info, page tree root).
 * One SHA-256 pass covers both the signed range and the whole file (the digest state after the
 * range's first part is shared), certificates are parsed once per distinct encoding, and
 * certificate paths and CRL signatures are checked once per day.
 */
public final class SignedDocuments {
  private static final String CADES_DETACHED = "ETSI.CAdES.detached";
  private static final String SHA256 = "2.16.840.1.101.3.4.2.1";

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
    PdfObjects document = read(pdf);
    Map<String, Object> signature = onlySignature(document);
    int[] range = checkCoverage(signature, pdf);
    int signedEnd = range[2] + range[3];
    DssUpdate.ValidationData dss = signedEnd == pdf.length ? null : DssUpdate.check(document, signedEnd);

    ContentInfo contentInfo = parseCms(contents(signature));
    Digests digests = digests(pdf, range, contentInfo);
    CMSSignedData signedData;
    try {
      signedData = new CMSSignedData(digests.range(), contentInfo);
    } catch (CMSException | IllegalArgumentException e) {
      throw new DocumentVerificationException(MALFORMED, "signature /Contents is not a CMS SignedData", e);
    }
    if (!signedData.isDetachedSignature()) {
      throw new DocumentVerificationException(MALFORMED, "CMS signature is not detached (expected: ETSI.CAdES.detached)");
    }
    SignerInformation signer = onlySigner(signedData);
    List<X509Certificate> embedded = certificates(signedData.getCertificates());
    X509Certificate signerCertificate = signerCertificate(signedData, signer);
    checkSignature(signer, signerCertificate);
    checkSigningCertificateAttribute(signer, signerCertificate);
    checkKeyUsage(signerCertificate);
    List<X509Certificate> signerPath = checkTrust(signerCertificate, embedded, trustAnchors, at);

    String municipalityCode = X509.subjectAttribute(signerCertificate, BCStyle.SERIALNUMBER);
    if (municipalityCode == null || !municipalityCode.matches("[0-9]{6}")) {
      throw new DocumentVerificationException(
          UNTRUSTED, "signer certificate names no municipality (expected: a 6-digit subject serialNumber)");
    }
    // Everything after the signed range is a DSS update that changes nothing but the catalog's
    // /DSS (checked above), so every Info entry read below is covered by the signature.
    Info info;
    int pageCount;
    try {
      info = info(document.dictionary(document.trailer().get("Info")), municipalityCode);
      pageCount = pageCount(document);
    } catch (PdfObjects.Malformed | RuntimeException e) {
      throw new DocumentVerificationException(MALFORMED, "unreadable PDF (" + e.getMessage() + ")", e);
    }
    Instant signDate = signingTime(signature);
    Timestamps.Stamp stamp = Timestamps.check(signer, signerCertificate, trustAnchors, signDate);
    PadesLevel level = stamp == null ? PadesLevel.B_B : PadesLevel.B_T;
    if (stamp != null && dss != null
        && Revocations.covered(dss, stamp.time(), List.of(signerPath, stamp.unitPath()))) {
      level = PadesLevel.B_LT;
    }
    return new VerifiedDocument(
        signerCertificate,
        municipalityCode,
        info.bindingHex,
        info.documentNumber,
        info.type,
        pageCount,
        signDate,
        HexFormat.of().formatHex(digests.file()),
        stamp == null ? null : stamp.time(),
        level);
  }

  /**
   * The certificates of the signature timestamp's token (the time-stamping unit's chain as the TSA
   * sent it), empty without a timestamp. Reads the signature only; verifies nothing.
   */
  static List<X509Certificate> timestampCertificates(byte[] pdf) throws DocumentVerificationException {
    PdfObjects document = read(pdf);
    ContentInfo contentInfo = parseCms(contents(onlySignature(document)));
    try {
      SignerInformation signer = onlySigner(new CMSSignedData(contentInfo));
      var unsigned = signer.getUnsignedAttributes();
      Attribute token = unsigned == null ? null : unsigned.get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
      if (token == null) {
        return List.of();
      }
      var stamp = new org.bouncycastle.tsp.TimeStampToken(
          new CMSSignedData(token.getAttrValues().getObjectAt(0).toASN1Primitive().getEncoded()));
      return certificates(stamp.getCertificates());
    } catch (CMSException | IOException | org.bouncycastle.tsp.TSPException | RuntimeException e) {
      throw new DocumentVerificationException(MALFORMED, "signature /Contents is not a CMS SignedData with a timestamp", e);
    }
  }

  private static PdfObjects read(byte[] pdf) throws DocumentVerificationException {
    try {
      return PdfObjects.read(pdf);
    } catch (PdfObjects.Malformed e) {
      // The reader's messages never quote the document's bytes.
      throw new DocumentVerificationException(MALFORMED, "not a readable PDF (" + e.getMessage() + ")", e);
    }
  }

  /** The one signature dictionary of the form's signature fields (ISO 32000-1 §12.7.4.5). */
  private static Map<String, Object> onlySignature(PdfObjects document) throws DocumentVerificationException {
    List<Map<String, Object>> signatures = new ArrayList<>();
    try {
      Map<String, Object> catalog = document.dictionary(document.trailer().get("Root"));
      if (catalog == null) {
        throw new DocumentVerificationException(MALFORMED, "not a readable PDF (no catalog)");
      }
      Map<String, Object> form = document.dictionary(catalog.get("AcroForm"));
      if (form != null && document.resolve(form.get("Fields")) instanceof List<?> fields) {
        collectSignatures(document, fields, null, 0, new HashSet<>(), signatures);
      }
    } catch (PdfObjects.Malformed | RuntimeException e) {
      throw new DocumentVerificationException(MALFORMED, "not a readable PDF (" + e.getMessage() + ")", e);
    }
    if (signatures.size() != 1) {
      throw new DocumentVerificationException(
          SIGNATURE_COUNT, signatures.size() + " signatures (expected: exactly one)");
    }
    Map<String, Object> signature = signatures.get(0);
    Object subFilter = signature.get("SubFilter");
    if (!new PdfObjects.Name(CADES_DETACHED).equals(subFilter)) {
      throw new DocumentVerificationException(
          MALFORMED, "signature subfilter " + (subFilter instanceof PdfObjects.Name n ? n.value() : null)
              + " (expected: " + CADES_DETACHED + ")");
    }
    return signature;
  }

  private static void collectSignatures(
      PdfObjects document, List<?> fields, Object inheritedType, int depth, Set<Object> seen, List<Map<String, Object>> out)
      throws PdfObjects.Malformed, DocumentVerificationException {
    if (depth > 16) {
      throw new DocumentVerificationException(MALFORMED, "not a readable PDF (form fields nested too deep)");
    }
    for (Object item : fields) {
      if (item instanceof PdfObjects.Ref ref && !seen.add(ref)) {
        throw new DocumentVerificationException(MALFORMED, "not a readable PDF (a form field appears twice)");
      }
      Map<String, Object> field = document.dictionary(item);
      if (field == null) {
        continue;
      }
      Object type = field.getOrDefault("FT", inheritedType);
      if (document.resolve(field.get("Kids")) instanceof List<?> kids) {
        collectSignatures(document, kids, type, depth + 1, seen, out);
      }
      if (new PdfObjects.Name("Sig").equals(type)) {
        Map<String, Object> value = document.dictionary(field.get("V"));
        if (value != null) {
          out.add(value);
        }
      }
    }
  }

  /**
   * The byte range must be [0, a, b, c] with the gap between a and b exactly this signature's
   * /Contents hex string, and b + c the end of a revision: either the file's end, or the start of
   * the DSS update {@link DssUpdate#check} then vets. Every other byte before it is signed.
   */
  private static int[] checkCoverage(Map<String, Object> signature, byte[] pdf) throws DocumentVerificationException {
    if (!(signature.get("ByteRange") instanceof List<?> list) || list.size() != 4
        || !list.stream().allMatch(v -> v instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE)) {
      throw new DocumentVerificationException(MALFORMED, "signature has no byte range of 4 numbers");
    }
    int[] range = list.stream().mapToInt(v -> ((Long) v).intValue()).toArray();
    long start = range[0];
    long gapStart = range[1];
    long gapEnd = range[2];
    long end = (long) range[2] + range[3];
    if (start != 0 || gapStart <= 0 || gapEnd <= gapStart || end > pdf.length) {
      throw new DocumentVerificationException(
          INCOMPLETE_COVERAGE, "byte range [" + range[0] + " " + range[1] + " " + range[2] + " " + range[3]
              + "] is not a range of this " + pdf.length + "-byte file");
    }
    if (!(signature.get("Contents") instanceof PdfObjects.PdfString contents) || contents.source != pdf
        || contents.start != gapStart || contents.end != gapEnd || pdf[(int) gapStart] != '<') {
      throw new DocumentVerificationException(
          INCOMPLETE_COVERAGE, "the unsigned gap of the byte range is not the signature's hex string");
    }
    for (int i = (int) gapStart + 1; i < gapEnd - 1; i++) {
      if (Character.digit(pdf[i], 16) < 0) {
        throw new DocumentVerificationException(
            INCOMPLETE_COVERAGE, "the unsigned gap of the byte range holds more than the signature's hex string");
      }
    }
    if ((gapEnd - gapStart - 2) % 2 != 0) {
      throw new DocumentVerificationException(MALFORMED, "signature /Contents has an odd number of hex digits");
    }
    return range;
  }

  private static byte[] contents(Map<String, Object> signature) {
    return ((PdfObjects.PdfString) signature.get("Contents")).bytes;
  }

  /** The digests of the signed range (per algorithm of the CMS, by OID) and SHA-256 of the whole file. */
  private record Digests(Map<String, byte[]> range, byte[] file) {}

  /**
   * One pass where it can: SHA-256 of [0, a) is shared by the range's digest and the file's, so
   * only the short rest of the file is hashed twice.
   */
  private static Digests digests(byte[] pdf, int[] range, ContentInfo contentInfo) throws DocumentVerificationException {
    try {
      MessageDigest head = MessageDigest.getInstance("SHA-256");
      head.update(pdf, 0, range[1]);
      MessageDigest whole = (MessageDigest) head.clone();
      whole.update(pdf, range[1], pdf.length - range[1]);
      Map<String, byte[]> digests = new HashMap<>();
      for (AlgorithmIdentifier algorithm : digestAlgorithms(contentInfo)) {
        String oid = algorithm.getAlgorithm().getId();
        if (digests.containsKey(oid)) {
          continue;
        }
        MessageDigest md = oid.equals(SHA256) ? (MessageDigest) head.clone() : MessageDigest.getInstance(oid);
        if (!oid.equals(SHA256)) {
          md.update(pdf, 0, range[1]);
        }
        md.update(pdf, range[2], range[3]);
        digests.put(oid, md.digest());
      }
      if (digests.isEmpty()) {
        throw new DocumentVerificationException(MALFORMED, "the CMS names no digest algorithm");
      }
      return new Digests(digests, whole.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new DocumentVerificationException(SIGNATURE_INVALID, "the CMS digest algorithm is unknown", e);
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 cannot be cloned", e);
    } catch (IllegalArgumentException e) {
      throw new DocumentVerificationException(MALFORMED, "signature /Contents is not a CMS SignedData", e);
    }
  }

  private static AlgorithmIdentifier[] digestAlgorithms(ContentInfo contentInfo) {
    var set = SignedData.getInstance(contentInfo.getContent()).getDigestAlgorithms();
    AlgorithmIdentifier[] out = new AlgorithmIdentifier[set.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = AlgorithmIdentifier.getInstance(set.getObjectAt(i));
    }
    return out;
  }

  private static Instant signingTime(Map<String, Object> signature) throws DocumentVerificationException {
    if (!(signature.get("M") instanceof PdfObjects.PdfString m)) {
      throw new DocumentVerificationException(MALFORMED, "signature dictionary has no signing time /M");
    }
    Matcher date = PDF_DATE.matcher(m.text());
    if (!date.matches()) {
      throw new DocumentVerificationException(MALFORMED, "signature /M is not a PDF date");
    }
    try {
      int offsetSeconds = 0;
      if (date.group(7) != null && !date.group(7).equals("Z") && date.group(8) != null) {
        offsetSeconds = (Integer.parseInt(date.group(8)) * 60 + (date.group(9) == null ? 0 : Integer.parseInt(date.group(9)))) * 60;
        if (date.group(7).equals("-")) {
          offsetSeconds = -offsetSeconds;
        }
      }
      return java.time.OffsetDateTime.of(
              Integer.parseInt(date.group(1)), part(date.group(2), 1), part(date.group(3), 1), part(date.group(4), 0),
              part(date.group(5), 0), part(date.group(6), 0), 0, java.time.ZoneOffset.ofTotalSeconds(offsetSeconds))
          .toInstant();
    } catch (java.time.DateTimeException | NumberFormatException e) {
      throw new DocumentVerificationException(MALFORMED, "signature /M is not a PDF date", e);
    }
  }

  private static final Pattern PDF_DATE =
      Pattern.compile("D:(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:([Z+-])(?:(\\d{2})'?(?:(\\d{2})'?)?)?)?");

  private static int part(String group, int absent) {
    return group == null ? absent : Integer.parseInt(group);
  }

  private static int pageCount(PdfObjects document) throws PdfObjects.Malformed {
    Map<String, Object> catalog = document.dictionary(document.trailer().get("Root"));
    Map<String, Object> pages = document.dictionary(catalog.get("Pages"));
    if (pages == null) {
      throw new PdfObjects.Malformed("no page tree");
    }
    return PdfObjects.intValue(document.resolve(pages.get("Count")));
  }

  private static ContentInfo parseCms(byte[] contents) throws DocumentVerificationException {
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
      ContentInfo info = ContentInfo.getInstance(object);
      if (!CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
        throw new DocumentVerificationException(MALFORMED, "signature /Contents is not a CMS SignedData");
      }
      return info;
    } catch (IOException | IllegalArgumentException e) {
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

  /** The certificates of a CMS, parsed once per distinct encoding (every document of a municipality carries the same). */
  static List<X509Certificate> certificates(org.bouncycastle.util.Store<X509CertificateHolder> store)
      throws DocumentVerificationException {
    List<X509Certificate> certificates = new ArrayList<>();
    for (X509CertificateHolder holder : store.getMatches(null)) {
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

  private static final ConcurrentHashMap<ByteBuffer, X509Certificate> PARSED = new ConcurrentHashMap<>();
  private static final int MAX_PARSED = 1024;

  static X509Certificate toCertificate(X509CertificateHolder holder) throws DocumentVerificationException {
    try {
      ByteBuffer key = ByteBuffer.wrap(holder.getEncoded());
      X509Certificate known = PARSED.get(key);
      if (known != null) {
        return known;
      }
      X509Certificate parsed = X509.parse(key.array());
      if (PARSED.size() >= MAX_PARSED) {
        PARSED.clear();
      }
      PARSED.put(key, parsed);
      return parsed;
    } catch (IOException | CertificateException e) {
      throw new DocumentVerificationException(MALFORMED, "a certificate in the signature is malformed", e);
    }
  }

  private static final int MAX_VERIFIERS = 256;
  private static final java.util.concurrent.ConcurrentHashMap<X509Certificate, org.bouncycastle.cms.SignerInformationVerifier> VERIFIERS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A CMS signer verifier for {@code certificate}, built once per certificate: building one fills
   * BouncyCastle's algorithm-name tables anew, which cost more than the RSA verification itself.
   * Thread-safe to share: each verification takes a new signature engine and digest from it.
   */
  static org.bouncycastle.cms.SignerInformationVerifier verifier(X509Certificate certificate) throws OperatorCreationException {
    org.bouncycastle.cms.SignerInformationVerifier verifier = VERIFIERS.get(certificate);
    if (verifier == null) {
      verifier = new JcaSimpleSignerInfoVerifierBuilder().build(certificate);
      if (VERIFIERS.size() >= MAX_VERIFIERS) {
        VERIFIERS.clear();
      }
      VERIFIERS.put(certificate, verifier);
    }
    return verifier;
  }

  private static void checkSignature(SignerInformation signer, X509Certificate certificate)
      throws DocumentVerificationException {
    if (signer.getSignedAttributes() == null) {
      throw new DocumentVerificationException(SIGNATURE_INVALID, "CMS signer has no signed attributes (expected: CAdES)");
    }
    try {
      if (!signer.verify(verifier(certificate))) {
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

  /** The path from {@code signer} to its anchor (both included), valid at {@code at}. */
  static List<X509Certificate> checkTrust(
      X509Certificate signer, List<X509Certificate> embedded, Collection<X509Certificate> trustAnchors, Instant at)
      throws DocumentVerificationException {
    TrustKey key = new TrustKey(signer, List.copyOf(embedded), Set.copyOf(trustAnchors), Math.floorDiv(at.getEpochSecond(), 86_400));
    List<X509Certificate> known = TRUSTED_PATHS.get(key);
    if (known != null && validAt(known, at)) {
      return known;
    }
    List<X509Certificate> path = List.copyOf(buildPath(signer, embedded, trustAnchors, at));
    if (TRUSTED_PATHS.size() >= MAX_TRUSTED_PATHS) {
      TRUSTED_PATHS.clear();
    }
    TRUSTED_PATHS.put(key, path);
    return path;
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

  private static Info info(Map<String, Object> info, String signerMunicipalityCode)
      throws DocumentVerificationException {
    if (info == null) {
      throw new DocumentVerificationException(CONTENT, "no Info dictionary (expected: kofu's entries)");
    }
    String binding = text(info, INFO_BINDING);
    if (binding == null || !binding.matches("[0-9a-f]{64}")) {
      throw new DocumentVerificationException(
          CONTENT, "Info " + INFO_BINDING + " missing or malformed (expected: 64 lowercase hex digits)");
    }
    String documentNumber = text(info, INFO_DOCUMENT_NUMBER);
    if (documentNumber == null || documentNumber.isBlank()) {
      throw new DocumentVerificationException(CONTENT, "Info " + INFO_DOCUMENT_NUMBER + " missing");
    }
    String code = text(info, INFO_MUNICIPALITY_CODE);
    if (!signerMunicipalityCode.equals(code)) {
      throw new DocumentVerificationException(
          CONTENT, "Info " + INFO_MUNICIPALITY_CODE + " " + code + " (expected: the signer's " + signerMunicipalityCode + ")");
    }
    String typeName = text(info, INFO_CERTIFICATE_TYPE);
    CertificateType type;
    try {
      type = CertificateType.valueOf(Objects.requireNonNullElse(typeName, ""));
    } catch (IllegalArgumentException e) {
      throw new DocumentVerificationException(
          CONTENT, "Info " + INFO_CERTIFICATE_TYPE + " " + typeName + " is not a certificate type");
    }
    return new Info(binding, documentNumber, type);
  }

  /** A direct text-string entry of the Info dictionary (kofu writes them so), or null. */
  private static String text(Map<String, Object> info, String key) {
    return info.get(key) instanceof PdfObjects.PdfString s ? s.text() : null;
  }
}

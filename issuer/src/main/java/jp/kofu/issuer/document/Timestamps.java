package jp.kofu.issuer.document;

import static jp.kofu.issuer.document.DocumentVerificationException.Problem.TIMESTAMP;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TSPValidationException;
import org.bouncycastle.tsp.TimeStampToken;

/** The signature-timestamp checks of {@link SignedDocuments} (PAdES B-T). */
final class Timestamps {
  /** Clocks of a signer and of a TSA never agree exactly. */
  private static final Duration SKEW = Duration.ofMinutes(1);

  private Timestamps() {}

  /** A verified signature timestamp: its genTime and its unit's certificate path (anchor included). */
  record Stamp(Instant time, List<X509Certificate> unitPath) {}

  /** The verified timestamp, or null when the signature carries no timestamp. */
  static Stamp check(
      SignerInformation signer, X509Certificate signerCertificate, Collection<X509Certificate> trustAnchors,
      Instant claimedSigningTime) throws DocumentVerificationException {
    AttributeTable unsigned = signer.getUnsignedAttributes();
    Attribute attribute = unsigned == null ? null : unsigned.get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
    if (attribute == null) {
      return null;
    }
    if (attribute.getAttrValues().size() != 1 || unsigned.getAll(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken).size() != 1) {
      throw new DocumentVerificationException(TIMESTAMP, "more than one signature timestamp (expected: one)");
    }
    TimeStampToken token;
    try {
      token = new TimeStampToken(new CMSSignedData(attribute.getAttrValues().getObjectAt(0).toASN1Primitive().getEncoded()));
    } catch (IOException | CMSException | TSPException | IllegalArgumentException e) {
      throw new DocumentVerificationException(TIMESTAMP, "the signature timestamp is not an RFC 3161 token", e);
    }
    byte[] expected;
    try {
      expected = MessageDigest.getInstance(token.getTimeStampInfo().getMessageImprintAlgOID().getId())
          .digest(signer.getSignature());
    } catch (NoSuchAlgorithmException e) {
      throw new DocumentVerificationException(TIMESTAMP, "the timestamp's digest algorithm is unknown", e);
    }
    if (!MessageDigest.isEqual(expected, token.getTimeStampInfo().getMessageImprintDigest())) {
      throw new DocumentVerificationException(TIMESTAMP, "the timestamp is over other data than this signature's value");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    X509Certificate unit = null;
    for (X509CertificateHolder holder : token.getCertificates().getMatches(null)) {
      X509Certificate certificate;
      try {
        certificate = SignedDocuments.toCertificate(holder);
      } catch (DocumentVerificationException e) {
        throw new DocumentVerificationException(TIMESTAMP, "a certificate in the timestamp is malformed", e);
      }
      certificates.add(certificate);
      if (token.getSID().match(holder)) {
        unit = certificate;
      }
    }
    if (unit == null) {
      throw new DocumentVerificationException(TIMESTAMP, "the timestamp does not carry its unit's certificate");
    }
    try {
      // Checks the token's signature, its ESS signing certificate, the unit's validity at genTime
      // and that the unit's certificate is for time-stamping only (RFC 3161 §2.3).
      token.validate(SignedDocuments.verifier(unit));
    } catch (TSPValidationException e) {
      throw new DocumentVerificationException(TIMESTAMP, "the timestamp does not verify: " + e.getMessage(), e);
    } catch (TSPException | OperatorCreationException e) {
      throw new DocumentVerificationException(TIMESTAMP, "the timestamp cannot be verified", e);
    }
    Instant genTime = token.getTimeStampInfo().getGenTime().toInstant();
    List<X509Certificate> unitPath;
    try {
      unitPath = SignedDocuments.checkTrust(unit, certificates, trustAnchors, genTime);
    } catch (DocumentVerificationException e) {
      throw new DocumentVerificationException(TIMESTAMP, "the time-stamping unit is not trusted: " + e.getMessage(), e);
    }
    if (genTime.isBefore(claimedSigningTime.minus(SKEW))) {
      throw new DocumentVerificationException(
          TIMESTAMP, "the timestamp " + genTime + " is before the claimed signing time " + claimedSigningTime);
    }
    if (genTime.isAfter(signerCertificate.getNotAfter().toInstant())
        || genTime.isBefore(signerCertificate.getNotBefore().toInstant())) {
      throw new DocumentVerificationException(
          TIMESTAMP, "the signer's certificate was not valid at the timestamp " + genTime);
    }
    return new Stamp(genTime, unitPath);
  }
}

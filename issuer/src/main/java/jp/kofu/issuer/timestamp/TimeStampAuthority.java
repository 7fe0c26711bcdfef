package jp.kofu.issuer.timestamp;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.Objects;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.KofuOids;
import jp.kofu.pki.X509;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * kofu's own RFC 3161 time-stamping unit: it signs (digest, time) pairs with the TSU key of the
 * trust world ({@code TrustWorld.timestampingUnit()}) on its clock. Tokens carry the TSA policy
 * {@link KofuOids#POLICY_TIMESTAMPING}, an ESS signing-certificate-v2 (SHA-256), an accuracy of one
 * second, a random serial, and the unit's certificate chain, so a verifier needs only the trust
 * anchor.
 *
 * <p>Thread-safe: a token generator holds a signature engine, which is not, so built generators
 * are kept in a pool and lent to one call at a time (building one costs more than the RSA
 * signature it makes).
 */
public final class TimeStampAuthority implements TimeStampSource {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HeldCertificate unit;
  private final Clock clock;
  /**
   * Built generators, lent to one call at a time (a generator's signer is not thread-safe). Not a
   * ThreadLocal: calls run on virtual threads, each new, so a ThreadLocal never hit.
   */
  private final java.util.concurrent.ConcurrentLinkedQueue<TimeStampTokenGenerator> idle = new java.util.concurrent.ConcurrentLinkedQueue<>();

  private static final int MAX_IDLE = 16;

  public TimeStampAuthority(HeldCertificate unit, Clock clock) {
    this.unit = Objects.requireNonNull(unit, "unit");
    this.clock = Objects.requireNonNull(clock, "clock");
    // RFC 3161 §2.3: a TSU certificate has exactly one extended key usage, id-kp-timeStamping.
    java.util.List<String> usages;
    try {
      usages = unit.certificate().getExtendedKeyUsage();
    } catch (java.security.cert.CertificateParsingException e) {
      throw new IllegalArgumentException("unit: unreadable extended key usage", e);
    }
    if (usages == null || !usages.equals(java.util.List.of("1.3.6.1.5.5.7.3.8"))) {
      throw new IllegalArgumentException("unit: not a time-stamping certificate (expected: id-kp-timeStamping only)");
    }
  }

  /** The unit's certificate. */
  public X509Certificate certificate() {
    return unit.certificate();
  }

  @Override
  public byte[] timestamp(byte[] sha256) {
    Objects.requireNonNull(sha256, "sha256");
    if (sha256.length != 32) {
      throw new IllegalArgumentException("sha256: " + sha256.length + " bytes (expected: 32)");
    }
    TimeStampRequestGenerator requests = new TimeStampRequestGenerator();
    requests.setCertReq(true);
    BigInteger nonce = new BigInteger(64, RANDOM);
    TimeStampRequest request = requests.generate(TSPAlgorithms.SHA256, sha256, nonce);
    TimeStampResponse response = respondTo(request);
    try {
      response.validate(request);
    } catch (TSPException e) {
      throw new TimeStampException("the time-stamping unit answered a request with a mismatching token", e);
    }
    if (response.getTimeStampToken() == null) {
      throw new TimeStampException("the time-stamping unit refused: " + response.getStatusString());
    }
    try {
      return response.getTimeStampToken().getEncoded();
    } catch (IOException e) {
      throw new TimeStampException("encoding the timestamp token failed", e);
    }
  }

  /**
   * Answers one DER TimeStampReq with a DER TimeStampResp: granted, or rejected with a failure
   * info (bad algorithm, bad request) when the request is not one this unit serves.
   */
  public byte[] respond(byte[] requestDer) {
    Objects.requireNonNull(requestDer, "requestDer");
    TimeStampResponse response;
    try {
      response = respondTo(new TimeStampRequest(requestDer));
    } catch (IOException | RuntimeException e) {
      // BouncyCastle reports malformed ASN.1 in several runtime exceptions.
      response = rejection(PKIFailureInfo.badDataFormat, "not a TimeStampReq");
    }
    try {
      return response.getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new TimeStampException("encoding the timestamp response failed", e);
    }
  }

  private TimeStampResponse respondTo(TimeStampRequest request) {
    try {
      TimeStampTokenGenerator tokens = borrow();
      try {
        return new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED)
            .generateGrantedResponse(request, X509.newSerial(), Date.from(clock.instant()));
      } finally {
        giveBack(tokens);
      }
    } catch (TSPException e) {
      // BouncyCastle refuses an unknown digest algorithm, policy or extension this way.
      return rejection(PKIFailureInfo.badAlg | PKIFailureInfo.badRequest, "request not served: " + e.getMessage());
    }
  }

  private TimeStampResponse rejection(int failure, String why) {
    try {
      TimeStampTokenGenerator tokens = borrow();
      try {
        return new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED).generateFailResponse(PKIStatus.REJECTION, failure, why);
      } finally {
        giveBack(tokens);
      }
    } catch (TSPException e) {
      throw new TimeStampException("cannot build a rejection", e);
    }
  }

  private TimeStampTokenGenerator borrow() {
    TimeStampTokenGenerator tokens = idle.poll();
    return tokens != null ? tokens : newGenerator();
  }

  private void giveBack(TimeStampTokenGenerator tokens) {
    // An approximate bound (size() walks the queue, but it is short): beyond it, let it go.
    if (idle.size() < MAX_IDLE) {
      idle.add(tokens);
    }
  }

  private TimeStampTokenGenerator newGenerator() {
    try {
      DigestCalculator sha256 =
          new JcaDigestCalculatorProviderBuilder().build().get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256));
      TimeStampTokenGenerator tokens =
          new TimeStampTokenGenerator(
              new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withRSA", unit.privateKey(), unit.certificate()),
              sha256,
              KofuOids.POLICY_TIMESTAMPING);
      tokens.setAccuracySeconds(1);
      tokens.addCertificates(new JcaCertStore(unit.chain()));
      return tokens;
    } catch (OperatorCreationException | CertificateEncodingException | TSPException e) {
      throw new TimeStampException("the time-stamping unit's key cannot sign", e);
    }
  }
}

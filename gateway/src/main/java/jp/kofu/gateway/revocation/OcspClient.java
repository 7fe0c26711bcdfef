package jp.kofu.gateway.revocation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.pki.X509;
import jp.kofu.proto.type.v1.Reason;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * An OCSP client (RFC 6960) for the card and smartphone CAs, with a small cache. An answer is
 * taken only if it is signed by the CA itself or by a responder certificate that CA issued for OCSP
 * signing, echoes our nonce, names the certificate asked about, and was made (thisUpdate) no more
 * than {@code maxStaleness} ago; a cached answer is used only while that still holds. Anything
 * else — no answer, an error status, "unknown" — is REVOCATION_UNAVAILABLE: fail closed.
 */
final class OcspClient {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_RESPONSE_BYTES = 64 * 1024;

  /** What the responder said about one certificate. */
  record Answer(boolean revoked, Instant revokedAt, String reason, Instant thisUpdate, Instant nextUpdate) {}

  private final URI url;
  private final Duration maxStaleness;
  private final Clock clock;
  private final Fetcher fetcher;
  private final Cache<String, Answer> cache;
  private final DigestCalculatorProvider digests;

  OcspClient(URI url, Duration maxStaleness, int cacheSize, Clock clock, Fetcher fetcher) {
    this.url = url;
    this.maxStaleness = maxStaleness;
    this.clock = clock;
    this.fetcher = fetcher;
    this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
    try {
      this.digests = new JcaDigestCalculatorProviderBuilder().build();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  Answer status(X509Certificate issuer, BigInteger serial) {
    String key = X509.keyId(issuer) + ":" + serial.toString(16);
    Instant now = clock.instant();
    Answer cached = cache.getIfPresent(key);
    if (cached != null && usable(cached, now)) {
      return cached;
    }
    Answer fresh = ask(issuer, serial, now);
    cache.put(key, fresh);
    return fresh;
  }

  private boolean usable(Answer a, Instant now) {
    return !a.thisUpdate().isAfter(now.plus(CrlStore.CLOCK_SKEW))
        && Duration.between(a.thisUpdate(), now).compareTo(maxStaleness) <= 0
        && (a.nextUpdate() == null || !now.isAfter(a.nextUpdate()));
  }

  private Answer ask(X509Certificate issuer, BigInteger serial, Instant now) {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    CertificateID id;
    byte[] request;
    try {
      id = new CertificateID(digests.get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), serial);
      request =
          new OCSPReqBuilder()
              .addRequest(id)
              .setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce))))
              .build()
              .getEncoded();
    } catch (OCSPException | OperatorCreationException | IOException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
    byte[] answer;
    try {
      answer = fetcher.post(url, "application/ocsp-request", request, MAX_RESPONSE_BYTES);
    } catch (IOException e) {
      throw unavailable("OCSP responder " + url + " did not answer: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    try {
      return read(answer, issuer, id, nonce, now);
    } catch (IOException | OCSPException | GeneralSecurityException | OperatorCreationException | RuntimeException e) {
      throw unavailable("OCSP answer from " + url + " not taken: " + e.getMessage());
    }
  }

  private Answer read(byte[] der, X509Certificate issuer, CertificateID id, byte[] nonce, Instant now)
      throws IOException, OCSPException, GeneralSecurityException, OperatorCreationException {
    OCSPResp resp = new OCSPResp(der);
    if (resp.getStatus() != OCSPRespBuilder.SUCCESSFUL) {
      throw new OCSPException("response status " + resp.getStatus());
    }
    if (!(resp.getResponseObject() instanceof BasicOCSPResp basic)) {
      throw new OCSPException("not a basic OCSP response");
    }
    X509Certificate signer = signer(basic, issuer, now);
    if (signer != issuer && !basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer.getPublicKey()))) {
      throw new OCSPException("signature does not verify");
    }
    Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
    if (echoed == null || !Arrays.equals(unwrap(echoed.getExtnValue().getOctets()), nonce)) {
      throw new OCSPException("nonce missing or not ours (a replayed answer?)");
    }
    for (SingleResp single : basic.getResponses()) {
      if (!single.getCertID().equals(id)) {
        continue;
      }
      Instant thisUpdate = single.getThisUpdate().toInstant();
      Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
      CertificateStatus status = single.getCertStatus();
      Answer a;
      if (status == CertificateStatus.GOOD) {
        a = new Answer(false, null, null, thisUpdate, nextUpdate);
      } else if (status instanceof RevokedStatus r) {
        String reason = r.hasRevocationReason() ? org.bouncycastle.asn1.x509.CRLReason.lookup(r.getRevocationReason()).toString() : "unspecified";
        a = new Answer(true, r.getRevocationTime().toInstant(), reason, thisUpdate, nextUpdate);
      } else {
        throw new OCSPException("status unknown: the responder does not know this certificate");
      }
      if (!usable(a, now)) {
        throw new OCSPException("answer made at " + thisUpdate + " is older than max-staleness " + maxStaleness.toSeconds() + " s");
      }
      return a;
    }
    throw new OCSPException("no answer about the certificate asked for");
  }

  /**
   * The CA itself (the answer's signature then already verified), or a responder certificate the CA
   * issued for OCSP signing and valid now. The CA's key is tried first only when the answer's
   * responder ID names the CA: an answer from a delegated responder no longer costs a failed RSA
   * verification (and the JDK's BadPaddingException inside it) before the delegate is looked for.
   */
  private X509Certificate signer(BasicOCSPResp basic, X509Certificate issuer, Instant now) throws OCSPException {
    boolean namesIssuer = names(basic.getResponderId(), issuer);
    if (namesIssuer && signedBy(basic, issuer)) {
      return issuer;
    }
    for (X509CertificateHolder holder : basic.getCerts()) {
      try {
        X509Certificate c = new JcaX509CertificateConverter().getCertificate(holder);
        if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
          continue;
        }
        c.verify(issuer.getPublicKey());
        c.checkValidity(Date.from(now));
        List<String> eku = c.getExtendedKeyUsage();
        if (eku != null && eku.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
          return c;
        }
      } catch (GeneralSecurityException e) {
        // not a delegate of this CA
      }
    }
    if (!namesIssuer && signedBy(basic, issuer)) {
      return issuer; // a responder ID that names no one we know, but the CA's own signature
    }
    throw new OCSPException("signed neither by the CA nor by a responder it authorized");
  }

  private static boolean signedBy(BasicOCSPResp basic, X509Certificate certificate) {
    try {
      return basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(certificate.getPublicKey()));
    } catch (OperatorCreationException | OCSPException e) {
      return false;
    }
  }

  /** Whether the responder ID (RFC 6960 4.2.1: by name or by SHA-1 of the key) is this certificate's. */
  private boolean names(RespID responder, X509Certificate certificate) {
    try {
      return responder.equals(new RespID(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())))
          || responder.equals(new RespID(SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()), digests.get(CertificateID.HASH_SHA1)));
    } catch (OperatorCreationException | OCSPException | RuntimeException e) {
      return false;
    }
  }

  /** The nonce as sent: we put the raw bytes in the extension value; tolerate an OCTET STRING wrap. */
  private static byte[] unwrap(byte[] value) {
    if (value.length == 18 && value[0] == 0x04 && value[1] == 16) {
      return Arrays.copyOfRange(value, 2, 18);
    }
    return value;
  }

  private static KofuException unavailable(String message) {
    return new KofuException(Reason.REVOCATION_UNAVAILABLE, message + ": failing closed");
  }
}

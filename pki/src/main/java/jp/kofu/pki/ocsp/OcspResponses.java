package jp.kofu.pki.ocsp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import jp.kofu.pki.CertificateAuthority;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Answers OCSP requests from the trust world's revocation state: GOOD for a serial the CA has not
 * revoked, REVOKED with time and reason for one it has. Like most CRL-backed responders it cannot
 * tell a serial its CA never issued from a good one; a request about a CA it does not serve is
 * answered {@code unauthorized} (RFC 6960 §2.3). Thread-safe.
 */
public final class OcspResponses {
  /** How long a response says it may be relied on (its nextUpdate); verifiers may cap it lower. */
  public static final Duration NEXT_UPDATE = Duration.ofMinutes(10);

  private final TrustWorld world;
  private final DigestCalculatorProvider digests;

  public OcspResponses(TrustWorld world) {
    this.world = world;
    try {
      this.digests = new JcaDigestCalculatorProviderBuilder().build();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The DER OCSPResponse for a DER OCSPRequest; malformed input gets {@code malformedRequest}. */
  public byte[] respond(byte[] requestDer) {
    try {
      return answer(requestDer).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  OCSPResp answer(byte[] requestDer) {
    OCSPReq request;
    Req[] items;
    try {
      request = new OCSPReq(requestDer);
      items = request.getRequestList();
    } catch (IOException | RuntimeException e) {
      return error(OCSPRespBuilder.MALFORMED_REQUEST);
    }
    if (items.length == 0 || items.length > 16) {
      return error(OCSPRespBuilder.MALFORMED_REQUEST);
    }
    world.syncRevocations();
    CertificateAuthority ca = null;
    for (Req item : items) {
      CertificateAuthority itemCa = authorityOf(item.getCertID());
      if (itemCa == null || (ca != null && itemCa != ca)) {
        // One signing certificate per CA: a request must be about certificates of one CA we serve.
        return error(OCSPRespBuilder.UNAUTHORIZED);
      }
      ca = itemCa;
    }
    HeldCertificate responder = world.ocspResponder(ca);
    Instant now = world.clock().instant();
    try {
      JcaBasicOCSPRespBuilder builder =
          new JcaBasicOCSPRespBuilder(responder.certificate().getPublicKey(), digests.get(CertificateID.HASH_SHA1));
      for (Req item : items) {
        BigInteger serial = item.getCertID().getSerialNumber();
        CertificateAuthority.Revocation r = ca.revocation(serial);
        CertificateStatus status = r == null ? CertificateStatus.GOOD : new RevokedStatus(Date.from(r.at()), r.reason());
        builder.addResponse(item.getCertID(), status, Date.from(now), Date.from(now.plus(NEXT_UPDATE)), null);
      }
      Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      if (nonce != null) {
        builder.setResponseExtensions(new Extensions(nonce));
      }
      X509CertificateHolder[] chain = {new JcaX509CertificateHolder(responder.certificate())};
      BasicOCSPResp basic =
          builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(responder.privateKey()), chain, Date.from(now));
      return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic);
    } catch (OCSPException | OperatorCreationException | CertificateEncodingException e) {
      return error(OCSPRespBuilder.INTERNAL_ERROR);
    }
  }

  private CertificateAuthority authorityOf(CertificateID id) {
    for (CertificateAuthority ca : world.ocspAuthorities()) {
      try {
        if (id.matchesIssuer(new JcaX509CertificateHolder(ca.certificate()), digests)) {
          return ca;
        }
      } catch (OCSPException | CertificateEncodingException e) {
        // an unknown hash algorithm: not one of ours
      }
    }
    return null;
  }

  private static OCSPResp error(int status) {
    try {
      return new OCSPRespBuilder().build(status, null);
    } catch (OCSPException e) {
      throw new IllegalStateException(e);
    }
  }

  /** For tests and diagnostics: the CAs answered for. */
  public List<CertificateAuthority> authorities() {
    return world.ocspAuthorities();
  }
}

package jp.kofu.issuer.document;

import static jp.kofu.issuer.document.DocumentVerificationException.Problem.UNTRUSTED;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a DSS's CRLs make a timestamped signature B-LT: for every certificate of the signer's
 * and the time-stamping unit's paths below their anchor, a CRL signed by its issuer that was not
 * stale at the timestamp's time (its nextUpdate not before it; issued before or after). A CRL that lists one of them as revoked before that time
 * refuses the document. OCSP responses in a DSS are carried but not counted (kofu writes none:
 * the municipal CA publishes CRLs).
 */
final class Revocations {
  /** Whether a CRL (by encoding) verifies with an issuer's key; and CRLs already parsed. */
  private static final ConcurrentHashMap<Key, Boolean> VERIFIED = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<ByteBuffer, X509CRL> PARSED = new ConcurrentHashMap<>();
  private static final int MAX = 256;

  private record Key(ByteBuffer crl, X509Certificate issuer) {}

  private Revocations() {}

  static boolean covered(DssUpdate.ValidationData dss, Instant at, List<List<X509Certificate>> paths)
      throws DocumentVerificationException {
    List<X509CRL> crls = new ArrayList<>();
    List<ByteBuffer> encodings = new ArrayList<>();
    for (byte[] der : dss.crls()) {
      ByteBuffer key = ByteBuffer.wrap(der);
      X509CRL crl = PARSED.get(key);
      if (crl == null) {
        try {
          crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
          return false;
        }
        bound(PARSED);
        PARSED.put(key, crl);
      }
      crls.add(crl);
      encodings.add(key);
    }
    boolean all = true;
    for (List<X509Certificate> path : paths) {
      // path: end entity, intermediates, anchor; the anchor needs no revocation data.
      for (int i = 0; i + 1 < path.size(); i++) {
        X509Certificate certificate = path.get(i);
        X509Certificate issuer = path.get(i + 1);
        boolean found = false;
        for (int k = 0; k < crls.size(); k++) {
          X509CRL crl = crls.get(k);
          if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
              || !signedBy(encodings.get(k), crl, issuer)
              || (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(at))) {
            continue;
          }
          X509CRLEntry entry = crl.getRevokedCertificate(certificate.getSerialNumber());
          if (entry != null && !entry.getRevocationDate().toInstant().isAfter(at)) {
            throw new DocumentVerificationException(
                UNTRUSTED, "the DSS's CRL lists " + certificate.getSubjectX500Principal().getName() + " as revoked at "
                    + entry.getRevocationDate().toInstant() + ", before the timestamp " + at);
          }
          found = true;
        }
        all &= found;
      }
    }
    return all;
  }

  private static boolean signedBy(ByteBuffer encoding, X509CRL crl, X509Certificate issuer) {
    Key key = new Key(encoding, issuer);
    Boolean known = VERIFIED.get(key);
    if (known != null) {
      return known;
    }
    bound(VERIFIED);
    return VERIFIED.computeIfAbsent(key, k -> {
      try {
        crl.verify(issuer.getPublicKey());
        return !crl.hasUnsupportedCriticalExtension();
      } catch (GeneralSecurityException e) {
        return false;
      }
    });
  }

  private static void bound(ConcurrentHashMap<?, ?> map) {
    if (map.size() >= MAX) {
      map.clear();
    }
  }
}

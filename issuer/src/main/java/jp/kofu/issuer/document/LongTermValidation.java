package jp.kofu.issuer.document;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jp.kofu.pki.HeldCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a timestamped signature PAdES B-LT (ETSI EN 319 142-1 §6.3, level B-LT): appends to the
 * signed document one small incremental update with a DSS holding the signing chain, the
 * time-stamping unit's chain, and a current CRL from the issuer of every certificate below the
 * roots ({@link DssUpdate}). The signed bytes are not touched, and the document is not parsed
 * again: the update is written after its last byte.
 *
 * <p>The validation data is prepared once per signing certificate per freshness window ({@code
 * refresh}, and never past the earliest nextUpdate of its CRLs): every document of a municipality
 * signed in that window carries the same DSS, so a document costs a copy of a few kilobytes. The
 * time-stamping unit's certificates are read from the first document's timestamp of each window.
 *
 * <p>When the data cannot be had (a CRL source down, a CRL not signed by its issuer, an issuer
 * certificate unknown), documents stay B-T: they are still valid signatures, and the cause is
 * logged; preparation is retried a minute later. A CRL that lists the signing or time-stamping
 * certificate as revoked stops issuance instead ({@link IllegalStateException}): signing with a
 * revoked key must not go unnoticed.
 *
 * <p>Thread-safe.
 */
public final class LongTermValidation {
  private static final Logger log = LoggerFactory.getLogger(LongTermValidation.class);
  private static final Duration RETRY = Duration.ofMinutes(1);

  /** Where CRLs come from: the configured sources in production, the CA itself in the development world. */
  @FunctionalInterface
  public interface CrlSource {
    /**
     * The CRLs currently published by {@code issuer} (any number; the newest valid one signed by
     * {@code issuer} is used).
     */
    List<X509CRL> crls(X509Certificate issuer) throws IOException;
  }

  private record Prepared(DssUpdate.ValidationData data, Instant until) {}

  private final Clock clock;
  private final Duration refresh;
  private final List<X509Certificate> authorities;
  private final CrlSource crls;
  private final ConcurrentHashMap<X509Certificate, Prepared> prepared = new ConcurrentHashMap<>();

  /**
   * @param refresh the freshness window: how long one DSS is reused
   * @param authorities the CA certificates of the signing and time-stamping chains, roots
   *     included (the issuers of each certificate must be among them or in the chains themselves)
   * @param crls where each issuer's CRL is fetched
   */
  public LongTermValidation(Clock clock, Duration refresh, List<X509Certificate> authorities, CrlSource crls) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.refresh = Objects.requireNonNull(refresh, "refresh");
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("refresh: " + refresh + " (expected: positive)");
    }
    this.authorities = List.copyOf(authorities);
    this.crls = Objects.requireNonNull(crls, "crls");
  }

  /** {@code signedPdf} (a timestamped signature by {@code signer}) with its DSS appended; unchanged when there is none to add. */
  public byte[] extend(byte[] signedPdf, HeldCertificate signer) {
    Objects.requireNonNull(signedPdf, "signedPdf");
    Objects.requireNonNull(signer, "signer");
    Instant now = clock.instant();
    Prepared current = prepared.get(signer.certificate());
    if (current == null || !now.isBefore(current.until())) {
      current = prepared.compute(signer.certificate(), (k, held) ->
          held != null && now.isBefore(held.until()) ? held : prepare(signedPdf, signer, now));
    }
    return current.data() == null ? signedPdf : DssUpdate.append(signedPdf, current.data());
  }

  private Prepared prepare(byte[] signedPdf, HeldCertificate signer, Instant now) {
    List<X509Certificate> certificates;
    try {
      certificates = new ArrayList<>(signer.chain());
      List<X509Certificate> unit = SignedDocuments.timestampCertificates(signedPdf);
      if (unit.isEmpty()) {
        // A B-B signature: B-LT needs a timestamp first.
        return new Prepared(null, now.plus(refresh));
      }
      certificates.addAll(unit);
    } catch (DocumentVerificationException e) {
      throw new IllegalArgumentException("signedPdf: " + e.getMessage(), e);
    }
    try {
      Set<X509Certificate> all = new LinkedHashSet<>(certificates);
      List<byte[]> crlDers = new ArrayList<>();
      Instant until = now.plus(refresh);
      for (int i = 0; i < certificates.size(); i++) {
        X509Certificate certificate = certificates.get(i);
        if (selfIssued(certificate)) {
          continue;
        }
        X509Certificate issuer = issuer(certificate, all);
        if (all.add(issuer)) {
          certificates.add(issuer);
        }
        X509CRL crl = newestValid(issuer, now);
        if (crl.getRevokedCertificate(certificate.getSerialNumber()) != null) {
          throw new IllegalStateException(
              "the CRL of " + issuer.getSubjectX500Principal().getName() + " lists "
                  + certificate.getSubjectX500Principal().getName() + " as revoked: not signing with it");
        }
        byte[] der = crl.getEncoded();
        if (crlDers.stream().noneMatch(d -> java.util.Arrays.equals(d, der))) {
          crlDers.add(der);
        }
        if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(until)) {
          until = crl.getNextUpdate().toInstant();
        }
      }
      List<byte[]> certDers = new ArrayList<>();
      for (X509Certificate c : all) {
        certDers.add(c.getEncoded());
      }
      return new Prepared(new DssUpdate.ValidationData(certDers, crlDers, List.of()), until);
    } catch (IOException | Unavailable | CRLException | CertificateEncodingException e) {
      // The signing certificate by its key id: its subject names a person (the mayor), and no name
      // goes into a log.
      log.warn("documents of signing key {} stay PAdES B-T for now: {}", jp.kofu.pki.X509.keyId(signer.certificate()), e.getMessage());
      return new Prepared(null, now.plus(RETRY.compareTo(refresh) < 0 ? RETRY : refresh));
    }
  }

  private static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message);
    }
  }

  private static boolean selfIssued(X509Certificate certificate) {
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    try {
      certificate.verify(certificate.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private X509Certificate issuer(X509Certificate certificate, Set<X509Certificate> known) throws Unavailable {
    List<X509Certificate> candidates = new ArrayList<>(known);
    candidates.addAll(authorities);
    for (X509Certificate candidate : candidates) {
      if (candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
        try {
          certificate.verify(candidate.getPublicKey());
          return candidate;
        } catch (GeneralSecurityException e) {
          // same name, another key
        }
      }
    }
    throw new Unavailable("the issuer of " + certificate.getSubjectX500Principal().getName() + " is not among the configured CA certificates");
  }

  private X509CRL newestValid(X509Certificate issuer, Instant now) throws IOException, Unavailable {
    X509CRL best = null;
    for (X509CRL crl : crls.crls(issuer)) {
      if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) || crl.hasUnsupportedCriticalExtension()) {
        continue;
      }
      try {
        crl.verify(issuer.getPublicKey());
      } catch (GeneralSecurityException e) {
        continue;
      }
      // Not stale is what counts: a CRL signed "after" now is the issuer's clock ahead of ours
      // (or, in the development world, a demo clock set back), and says as much about now.
      boolean current = crl.getNextUpdate() == null || crl.getNextUpdate().toInstant().isAfter(now);
      if (current && (best == null || crl.getThisUpdate().after(best.getThisUpdate()))) {
        best = crl;
      }
    }
    if (best == null) {
      throw new Unavailable("no current CRL signed by " + issuer.getSubjectX500Principal().getName());
    }
    return best;
  }
}

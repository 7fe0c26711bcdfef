package jp.kofu.gateway.revocation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.pki.Pem;
import jp.kofu.pki.X509;
import jp.kofu.proto.type.v1.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest verified CRL of each CA the gateway checks by CRL. CRLs are fetched from every
 * configured source every {@code refresh}: by a background task, and by the first check that finds
 * them due (so a check never acts on data older than the schedule promises, even if the background
 * task lags). A CRL is accepted only if its CA signed it, it has no critical extension we do not
 * process, and it is not older than the one held (no rollback).
 */
final class CrlStore {
  private static final Logger log = LoggerFactory.getLogger(CrlStore.class);
  /** A CRL signed this far in our future is taken as our clock being behind, not as forged. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  /** A CRL held for one CA. */
  record Held(X509CRL crl, Instant thisUpdate, Instant nextUpdate, URI source) {}

  private final Map<String, X509Certificate> issuers = new ConcurrentHashMap<>();
  /**
   * The key id of each issuer a check has named (the trust anchors' CAs, a handful): the SHA-256
   * of its public key was computed at every call (a MessageDigest looked up and the key encoded
   * each time, ~1 % of a replayed stream's server CPU). Keyed by the certificate itself (equal
   * encodings), so a CA certificate renewed under another key has an entry of its own.
   */
  private final Map<X509Certificate, String> keyIds = new ConcurrentHashMap<>();
  private final List<URI> sources;
  private final Duration refresh;
  private final Duration maxStaleness;
  private final Clock clock;
  private final Fetcher fetcher;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final ReentrantLock refreshing = new ReentrantLock();
  private volatile Instant lastAttempt;

  CrlStore(List<X509Certificate> issuers, List<URI> sources, Duration refresh, Duration maxStaleness, Clock clock, Fetcher fetcher) {
    for (X509Certificate ca : issuers) {
      this.issuers.put(X509.keyId(ca), ca);
    }
    this.sources = List.copyOf(sources);
    this.refresh = refresh;
    this.maxStaleness = maxStaleness;
    this.clock = clock;
    this.fetcher = fetcher;
  }

  /**
   * The CRL entry of {@code serial} under {@code issuer}, or null when it is not revoked.
   *
   * @throws KofuException REVOCATION_UNAVAILABLE when no current CRL of that CA is held
   */
  X509CRLEntry entry(X509Certificate issuer, BigInteger serial) {
    Instant now = clock.instant();
    refreshIfDue(now);
    Held h = held.get(keyId(issuer));
    String ca = issuer.getSubjectX500Principal().getName();
    if (h == null) {
      throw new KofuException(Reason.REVOCATION_UNAVAILABLE, "no CRL of " + ca + " could be loaded: failing closed");
    }
    Duration age = Duration.between(h.thisUpdate(), now);
    if (age.compareTo(maxStaleness) > 0) {
      throw new KofuException(
          Reason.REVOCATION_UNAVAILABLE,
          "the newest CRL of " + ca + " is " + age.toSeconds() + " s old (max-staleness " + maxStaleness.toSeconds() + " s): failing closed");
    }
    if (h.nextUpdate() != null && now.isAfter(h.nextUpdate())) {
      throw new KofuException(Reason.REVOCATION_UNAVAILABLE, "the newest CRL of " + ca + " is past its nextUpdate: failing closed");
    }
    return h.crl().getRevokedCertificate(serial);
  }

  /**
   * The freshness of what is held for {@code issuer}: the age of its newest CRL and whether it may
   * be used now (held, younger than max-staleness, not past nextUpdate). For readiness and metrics;
   * fetches nothing.
   */
  Freshness freshness(X509Certificate issuer) {
    Instant now = clock.instant();
    Held h = held.get(X509.keyId(issuer));
    if (h == null) {
      return new Freshness(null, false);
    }
    Duration age = Duration.between(h.thisUpdate(), now);
    boolean usable = age.compareTo(maxStaleness) <= 0 && (h.nextUpdate() == null || !now.isAfter(h.nextUpdate()));
    return new Freshness(age, usable);
  }

  private String keyId(X509Certificate issuer) {
    String id = keyIds.get(issuer);
    if (id == null) {
      if (keyIds.size() >= 256) {
        keyIds.clear(); // bounded whatever issuers are named; a handful in practice
      }
      id = X509.keyId(issuer);
      keyIds.put(issuer, id);
    }
    return id;
  }

  /** How old a CA's newest CRL is (null: none held) and whether checks may use it. */
  record Freshness(Duration age, boolean usable) {}

  void refreshIfDue(Instant now) {
    Instant last = lastAttempt;
    if (last != null && now.isBefore(last.plus(refresh)) && !now.isBefore(last)) {
      return;
    }
    refreshing.lock();
    try {
      last = lastAttempt;
      if (last == null || !now.isBefore(last.plus(refresh)) || now.isBefore(last)) {
        refresh();
      }
    } finally {
      refreshing.unlock();
    }
  }

  /**
   * Fetches every source now. The attempt is recorded when it has ended, not when it starts: a
   * check that finds the CRLs due while the background task is fetching them waits for that fetch
   * (on the lock) and then uses what it brought, instead of taking the attempt for done and
   * deciding on the CRL from before it.
   */
  void refresh() {
    refreshing.lock();
    Instant started = clock.instant();
    try {
      for (URI source : sources) {
        try {
          accept(parse(fetcher.get(source)), source);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
          log.warn("CRL from {} not taken: {}", source, e.getMessage() == null ? e.toString() : e.getMessage());
        }
      }
    } finally {
      lastAttempt = started;
      refreshing.unlock();
    }
  }

  private void accept(X509CRL crl, URI source) throws GeneralSecurityException {
    X509Certificate issuer = null;
    for (X509Certificate ca : issuers.values()) {
      if (ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
        try {
          crl.verify(ca.getPublicKey());
          issuer = ca;
          break;
        } catch (GeneralSecurityException e) {
          // same name, another key
        }
      }
    }
    if (issuer == null) {
      throw new GeneralSecurityException("not signed by a CA this gateway checks (" + crl.getIssuerX500Principal().getName() + ")");
    }
    if (crl.hasUnsupportedCriticalExtension()) {
      throw new GeneralSecurityException("carries a critical extension this gateway does not process");
    }
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    if (thisUpdate.isAfter(clock.instant().plus(CLOCK_SKEW))) {
      throw new GeneralSecurityException("signed in the future (" + thisUpdate + ")");
    }
    String key = X509.keyId(issuer);
    Held previous = held.get(key);
    if (previous != null && thisUpdate.isBefore(previous.thisUpdate())) {
      throw new GeneralSecurityException("older than the CRL held (" + thisUpdate + " < " + previous.thisUpdate() + ")");
    }
    held.put(key, new Held(crl, thisUpdate, crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant(), source));
  }

  private static X509CRL parse(byte[] bytes) throws GeneralSecurityException {
    String start = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII);
    if (start.contains("-----BEGIN")) {
      return Pem.crl(new String(bytes, StandardCharsets.US_ASCII));
    }
    return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes));
  }
}

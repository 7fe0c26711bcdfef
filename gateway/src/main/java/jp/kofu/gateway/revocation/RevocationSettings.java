package jp.kofu.gateway.revocation;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the gateway checks revocation.
 *
 * @param cards how cards and smartphone credentials are checked: by CRL or by OCSP
 * @param maxStaleness the oldest revocation information acted on, measured from when its issuer
 *     signed it (a CRL's or an OCSP response's thisUpdate); older, and the gateway fails closed.
 *     A card revoked at T is refused from T + maxStaleness at the latest.
 * @param crlRefresh how often CRLs are fetched again; shorter than {@code maxStaleness}
 * @param crls where CRLs are fetched (http, https or file URIs): the terminal CA's always, and
 *     every card-issuing CA's in CRL mode
 * @param ocsp the OCSP responder (OCSP mode)
 * @param timeout for one fetch or OCSP request
 * @param ocspCacheSize how many OCSP answers are kept (each at most {@code maxStaleness})
 */
public record RevocationSettings(
    Mode cards, Duration maxStaleness, Duration crlRefresh, List<URI> crls, URI ocsp, Duration timeout, int ocspCacheSize) {
  public enum Mode {
    CRL,
    OCSP
  }

  public static final Duration DEFAULT_MAX_STALENESS = Duration.ofMinutes(5);
  public static final Duration DEFAULT_CRL_REFRESH = Duration.ofMinutes(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  public static final int DEFAULT_OCSP_CACHE_SIZE = 10_000;

  public RevocationSettings {
    Objects.requireNonNull(cards, "cards");
    Objects.requireNonNull(maxStaleness, "maxStaleness");
    Objects.requireNonNull(crlRefresh, "crlRefresh");
    Objects.requireNonNull(timeout, "timeout");
    crls = List.copyOf(crls);
    if (maxStaleness.isNegative() || maxStaleness.isZero()) {
      throw new IllegalArgumentException("revocation.max-staleness: " + maxStaleness + " (expected: positive)");
    }
    if (crlRefresh.isNegative() || crlRefresh.isZero() || crlRefresh.compareTo(maxStaleness) >= 0) {
      throw new IllegalArgumentException(
          "revocation.crl-refresh: " + crlRefresh + " (expected: positive and shorter than max-staleness " + maxStaleness
              + ", or the gateway would fail closed between two refreshes)");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("revocation.timeout: " + timeout + " (expected: positive)");
    }
    if (crls.isEmpty()) {
      throw new IllegalArgumentException("revocation.crls: empty (expected: at least the terminal CA's CRL)");
    }
    for (URI u : crls) {
      String scheme = u.getScheme();
      if (scheme == null || !List.of("http", "https", "file").contains(scheme)) {
        throw new IllegalArgumentException("revocation.crls: '" + u + "' (expected: an http, https or file URI)");
      }
    }
    if (cards == Mode.OCSP && ocsp == null) {
      throw new IllegalArgumentException("revocation.ocsp: missing (expected: the responder's URL in OCSP mode)");
    }
    if (ocsp != null && !List.of("http", "https").contains(String.valueOf(ocsp.getScheme()))) {
      throw new IllegalArgumentException("revocation.ocsp: '" + ocsp + "' (expected: an http or https URL)");
    }
    if (ocspCacheSize < 0) {
      throw new IllegalArgumentException("revocation.ocsp-cache-size: " + ocspCacheSize + " (expected: 0 or more)");
    }
  }

  /** Cards by OCSP against {@code ocsp}; copiers by the CRLs at {@code crls}; defaults otherwise. */
  public static RevocationSettings ocsp(URI ocsp, List<URI> crls) {
    return new RevocationSettings(Mode.OCSP, DEFAULT_MAX_STALENESS, DEFAULT_CRL_REFRESH, crls, ocsp, DEFAULT_TIMEOUT, DEFAULT_OCSP_CACHE_SIZE);
  }

  /** Cards and copiers by the CRLs at {@code crls}; defaults otherwise. */
  public static RevocationSettings crl(List<URI> crls) {
    return new RevocationSettings(Mode.CRL, DEFAULT_MAX_STALENESS, DEFAULT_CRL_REFRESH, crls, null, DEFAULT_TIMEOUT, DEFAULT_OCSP_CACHE_SIZE);
  }

  public RevocationSettings withStaleness(Duration maxStaleness, Duration crlRefresh) {
    return new RevocationSettings(cards, maxStaleness, crlRefresh, crls, ocsp, timeout, ocspCacheSize);
  }
}

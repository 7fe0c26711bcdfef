package jp.kofu.gateway.revocation;

import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.pki.X509;
import jp.kofu.proto.type.v1.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's revocation checks: {@link #checkCard} by CRL or OCSP as configured, {@link
 * #checkTerminal} by the terminal CA's CRL. Thread-safe; {@link #close} stops the refresh task.
 */
public final class Revocation implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Revocation.class);

  private final RevocationSettings settings;
  private final Fetcher fetcher;
  private final CrlStore crls;
  private final OcspClient ocsp;
  private final ScheduledExecutorService refresher;
  private final List<X509Certificate> requiredCrls;
  private final List<X509Certificate> crlIssuers;
  private final Clock clock;

  private Revocation(RevocationSettings settings, List<X509Certificate> cardIssuers, List<X509Certificate> terminalCas, Clock clock) {
    this.settings = settings;
    this.fetcher = new Fetcher(settings.timeout());
    // Card CAs' CRLs are taken in OCSP mode too (if configured), so a source that serves them
    // is not an error; only CRL mode reads them.
    List<X509Certificate> crlIssuers = new ArrayList<>(terminalCas);
    crlIssuers.addAll(cardIssuers);
    this.crlIssuers = List.copyOf(crlIssuers);
    this.clock = clock;
    List<X509Certificate> required = new ArrayList<>(terminalCas);
    if (settings.cards() == RevocationSettings.Mode.CRL) {
      required.addAll(cardIssuers);
    }
    this.requiredCrls = List.copyOf(required);
    this.crls = new CrlStore(crlIssuers, settings.crls(), settings.crlRefresh(), settings.maxStaleness(), clock, fetcher);
    this.ocsp =
        settings.cards() == RevocationSettings.Mode.OCSP
            ? new OcspClient(settings.ocsp(), settings.maxStaleness(), settings.ocspCacheSize(), clock, fetcher)
            : null;
    this.refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("gateway-crl-refresh").factory());
  }

  /**
   * Starts checking: loads the CRLs once now (a source that cannot be reached is logged; checks
   * then fail closed until it can), then refreshes them every {@code crl-refresh}.
   */
  public static Revocation start(
      RevocationSettings settings, List<X509Certificate> cardIssuers, List<X509Certificate> terminalCas, Clock clock) {
    Revocation r = new Revocation(settings, cardIssuers, terminalCas, clock);
    r.crls.refresh();
    long period = settings.crlRefresh().toMillis();
    r.refresher.scheduleWithFixedDelay(
        () -> {
          try {
            r.crls.refresh();
          } catch (RuntimeException e) {
            log.warn("CRL refresh failed: {}", e.toString());
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
    log.info(
        "revocation: cards by {}, copiers by CRL; max-staleness {} s, CRLs refreshed every {} s",
        settings.cards(), settings.maxStaleness().toSeconds(), settings.crlRefresh().toSeconds());
    return r;
  }

  public RevocationSettings settings() {
    return settings;
  }

  /**
   * Throws CARD_REVOKED if the credential is revoked, REVOCATION_UNAVAILABLE if that cannot be
   * established from information younger than max-staleness.
   */
  public void checkCard(X509Certificate card, X509Certificate issuer) {
    if (ocsp != null) {
      OcspClient.Answer a;
      try {
        a = ocsp.status(issuer, card.getSerialNumber());
      } catch (KofuException e) {
        // Loud: while this lasts, no card is admitted.
        log.warn("card revocation unavailable: {}", e.getMessage());
        throw e;
      }
      if (a.revoked()) {
        throw revoked(Reason.CARD_REVOKED, "card certificate", card, a.revokedAt().toString(), a.reason(), "OCSP");
      }
      return;
    }
    X509CRLEntry entry = crls.entry(issuer, card.getSerialNumber());
    if (entry != null) {
      throw revoked(Reason.CARD_REVOKED, "card certificate", card, entry.getRevocationDate().toInstant().toString(), reason(entry), "the card CA's CRL");
    }
  }

  /** Throws TERMINAL_REVOKED, or REVOCATION_UNAVAILABLE when the terminal CA's CRL is too old. */
  public void checkTerminal(X509Certificate terminal, X509Certificate terminalCa) {
    X509CRLEntry entry = crls.entry(terminalCa, terminal.getSerialNumber());
    if (entry != null) {
      throw revoked(Reason.TERMINAL_REVOKED, "terminal certificate", terminal, entry.getRevocationDate().toInstant().toString(), reason(entry), "the terminal CA's CRL");
    }
  }

  /**
   * What makes checks fail closed right now, or an empty list: each CA whose CRL checks need (the
   * terminal CAs', and the card CAs' in CRL mode) but which is missing, older than max-staleness or
   * past its nextUpdate. OCSP answers are per card and are not covered. Fetches the CRLs first if
   * they are due, as a check would.
   */
  public List<String> staleCrls() {
    crls.refreshIfDue(java.time.Instant.now(clock));
    List<String> stale = new ArrayList<>();
    for (X509Certificate ca : requiredCrls) {
      CrlStore.Freshness f = crls.freshness(ca);
      if (!f.usable()) {
        stale.add(ca.getSubjectX500Principal().getName() + (f.age() == null ? ": no CRL" : ": CRL " + f.age().toSeconds() + " s old"));
      }
    }
    return stale;
  }

  /** Each CA whose CRL the gateway holds or wants, by subject name, and its CRL's age (null: none). */
  public Map<String, Duration> crlAges() {
    Map<String, Duration> ages = new java.util.LinkedHashMap<>();
    for (X509Certificate ca : crlIssuers) {
      ages.put(ca.getSubjectX500Principal().getName(), crls.freshness(ca).age());
    }
    return ages;
  }

  /** Fetches every CRL now (operators, tests). */
  public void refreshCrls() {
    crls.refresh();
  }

  private static String reason(X509CRLEntry entry) {
    return entry.getRevocationReason() == null ? "unspecified" : entry.getRevocationReason().name();
  }

  private static KofuException revoked(Reason reason, String what, X509Certificate cert, String at, String why, String source) {
    return new KofuException(
        reason,
        what + " serial " + X509.serialHex(cert) + " was revoked at " + at + " (" + why + ") per " + source,
        Map.of("revoked_at", at));
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    fetcher.close();
  }
}

package jp.kofu.gateway.journal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles what no copier will: an issued document never confirmed within the timeout is voided
 * and its fee refunded (the resident must never pay for a document that may not have been
 * printed), and an order never issued within it is voided as abandoned (nothing was charged).
 * Every gateway of a cluster may run it at once: each void is a compare-and-set in the journal,
 * so a late confirmation and two reconcilers cannot both win.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
  private static final int BATCH = 500;

  private final IssuanceJournal journal;
  private final Clock clock;
  private final Duration timeout;

  /**
   * @param timeout how long an issuance may stay unconfirmed (or an order unissued); longer than a
   *     session lives, so that a copier can always confirm first
   */
  public Reconciler(IssuanceJournal journal, Clock clock, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: positive)");
    }
    this.journal = journal;
    this.clock = clock;
    this.timeout = timeout;
  }

  public Duration timeout() {
    return timeout;
  }

  /** What one run settled. */
  public record Result(int unconfirmedVoided, int abandonedVoided) {
    public int total() {
      return unconfirmedVoided + abandonedVoided;
    }
  }

  /** Voids everything past the timeout now; returns how much it voided. */
  public Result run() {
    Instant now = clock.instant();
    Instant cutoff = now.minus(timeout);
    int unconfirmed = 0;
    for (List<String> ids = journal.unconfirmedSince(cutoff, BATCH); !ids.isEmpty(); ids = journal.unconfirmedSince(cutoff, BATCH)) {
      for (String id : ids) {
        if (journal.voidUnconfirmed(id, cutoff, now)) {
          unconfirmed++;
        }
      }
    }
    int abandoned = 0;
    for (List<String> ids = journal.abandonedSince(cutoff, BATCH); !ids.isEmpty(); ids = journal.abandonedSince(cutoff, BATCH)) {
      for (String id : ids) {
        if (journal.voidAbandoned(id, cutoff, now)) {
          abandoned++;
        }
      }
    }
    if (unconfirmed > 0 || abandoned > 0) {
      // Loud: copiers that never confirm are a fault somewhere (network, copier, or gateway).
      log.warn(
          "reconciliation: voided and refunded {} issuances never confirmed within {}; voided {} orders never issued",
          unconfirmed,
          jp.kofu.gateway.config.Durations.format(timeout),
          abandoned);
    }
    return new Result(unconfirmed, abandoned);
  }
}

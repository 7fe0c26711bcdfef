package jp.kofu.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.proto.type.v1.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locks a card out of the whole cluster for {@code lockout} after {@code limit} failed
 * authentications within {@code window} (a signature that does not verify with the card's key).
 * The count lives in the journal, so every gateway sees it; a success clears it. This is on top
 * of the card's own PIN counter: it also stops a copier that replays a card's certificate with
 * forged signatures.
 */
public final class CardLockout {
  private static final Logger log = LoggerFactory.getLogger(CardLockout.class);

  /** Defaults: 5 failures in 10 minutes lock a card out for 15 minutes. */
  public static final int DEFAULT_LIMIT = 5;
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
  public static final Duration DEFAULT_LOCKOUT = Duration.ofMinutes(15);

  private final CardFailures failures;
  private final Function<CardRef, String> cardKey;
  private final Clock clock;
  private final int limit;
  private final Duration window;
  private final Duration lockout;
  private volatile Runnable onLockout = () -> {};

  /**
   * @param cardKey the journal's keyed hash of a card (never the serial itself in the journal)
   */
  public CardLockout(CardFailures failures, Function<CardRef, String> cardKey, Clock clock, int limit, Duration window, Duration lockout) {
    if (limit < 1) {
      throw new IllegalArgumentException("card lockout limit: " + limit + " (expected: at least 1)");
    }
    this.failures = failures;
    this.cardKey = cardKey;
    this.clock = clock;
    this.limit = limit;
    this.window = window;
    this.lockout = lockout;
  }

  /**
   * Throws CARD_LOCKED_OUT with retry_after_ms while the card is locked out.
   *
   * @return whether the journal recorded failures of the card when it was read (for {@link
   *     #succeeded(CardRef, boolean)})
   */
  public boolean checkNotLocked(CardRef card) {
    Instant now = clock.instant();
    CardFailures.Standing standing = failures.standing(cardKey.apply(card), now);
    if (standing.lockedUntil().isPresent()) {
      throw lockedOut(standing.lockedUntil().get(), now);
    }
    return standing.recorded();
  }

  /** Counts a failure; the failure that reaches the limit starts the lockout (and is logged). */
  public void failed(CardRef card, TerminalIdentity terminal) {
    Instant now = clock.instant();
    String key = cardKey.apply(card);
    failures.recordFailure(key, now, limit, window, lockout)
        .ifPresent(until -> {
          log.warn("card {}… locked out until {} after {} failed authentications, the last from terminal {}",
              key.substring(0, 12), until, limit, terminal);
          onLockout.run();
        });
  }

  /** Also runs {@code r} each time a card gets locked out (metrics). */
  public CardLockout onLockout(Runnable r) {
    this.onLockout = java.util.Objects.requireNonNull(r, "r");
    return this;
  }

  /** A success clears the card's failures. */
  public void succeeded(CardRef card) {
    failures.clear(cardKey.apply(card));
  }

  /**
   * The same after {@link #checkNotLocked} of this authentication said whether failures were
   * recorded: with none there is nothing to clear (no DELETE on every authentication). A failure
   * another gateway records after that read is then kept, as if it came after this success (the
   * stricter of the two orders).
   */
  public void succeeded(CardRef card, boolean failuresRecorded) {
    if (failuresRecorded) {
      succeeded(card);
    }
  }

  /** Forgets finished windows (housekeeping). */
  public int purge() {
    return failures.purge(clock.instant(), window.plus(lockout));
  }

  private static KofuException lockedOut(Instant until, Instant now) {
    long ms = Math.max(1, Duration.between(now, until).toMillis());
    return new KofuException(
        Reason.CARD_LOCKED_OUT,
        "too many failed authentications with this card: locked out until " + until,
        Map.of("retry_after_ms", Long.toString(ms)));
  }
}

package jp.kofu.gateway.isolation;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import jp.kofu.issuer.embedded.EmbeddedIssuerAdapterFactory;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.MunicipalityOfferings;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.ResidentRef;
import jp.kofu.pki.TrustWorld;

/**
 * A municipality that misbehaves on demand, in front of a real embedded adapter for its code: it
 * hangs (ignoring interrupts, as a stuck vendor system would), fails, or hands out the document of
 * the previous request from a shared slot (the vendor's "print queue" of the Yokohama incident).
 */
final class FaultyMunicipality implements IssuerAdapter {
  enum Mode {
    HEALTHY,
    /** issue() blocks until {@link #release()}, then produces the document anyway. */
    HANG,
    /** Every call throws, as when the municipality's registry is down. */
    FAIL,
    /** issue() returns the document it produced for the previous request. */
    SWAP
  }

  final String code;
  private final Path dataDir;
  private final Clock clock;
  private volatile IssuerAdapter delegate;
  volatile Mode mode = Mode.HEALTHY;
  private volatile CountDownLatch released = new CountDownLatch(1);
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger hanging = new AtomicInteger();
  final AtomicBoolean sawInterrupt = new AtomicBoolean();
  /** Documents produced by hung calls after they were released: nobody may ever receive them. */
  final List<IssuedDocument> late = new CopyOnWriteArrayList<>();
  private final AtomicReference<IssuedDocument> slot = new AtomicReference<>();

  FaultyMunicipality(String code, Path dataDir, Clock clock) {
    this.code = code;
    this.dataDir = dataDir;
    this.clock = clock;
  }

  private IssuerAdapter delegate() {
    IssuerAdapter d = delegate;
    if (d == null) {
      synchronized (this) {
        if (delegate == null) {
          // The world's registry and trust world, seeded when the world started.
          delegate =
              new EmbeddedIssuerAdapterFactory()
                  .create(
                      new AdapterContext(
                          Map.of("municipalities", code),
                          dataDir.resolve("issuer"),
                          clock,
                          Map.of(TrustWorld.class, TrustWorld.openOrCreate(dataDir.resolve("pki"), clock))));
        }
        d = delegate;
      }
    }
    return d;
  }

  void release() {
    released.countDown();
  }

  void rearm() {
    released = new CountDownLatch(1);
  }

  @Override
  public Set<String> municipalityCodes() {
    return Set.of(code);
  }

  @Override
  public ResidentRef resolveCard(CardQuery query) throws IssuanceRefusedException {
    calls.incrementAndGet();
    failIfFailing();
    return delegate().resolveCard(query);
  }

  @Override
  public MunicipalityOfferings offerings(OfferingsQuery query) throws IssuanceRefusedException {
    calls.incrementAndGet();
    failIfFailing();
    return delegate().offerings(query);
  }

  @Override
  public IssuedDocument issue(IssueCommand command) throws IssuanceRefusedException {
    calls.incrementAndGet();
    failIfFailing();
    switch (mode) {
      case HANG -> {
        hanging.incrementAndGet();
        CountDownLatch latch = released;
        boolean interrupted = false;
        while (true) {
          try {
            latch.await();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
            sawInterrupt.set(true);
          }
        }
        hanging.decrementAndGet();
        IssuedDocument d = delegate().issue(command);
        late.add(d);
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        return d;
      }
      case SWAP -> {
        IssuedDocument d = delegate().issue(command);
        IssuedDocument previous = slot.getAndSet(d);
        return previous != null ? previous : d;
      }
      default -> {
        return delegate().issue(command);
      }
    }
  }

  private void failIfFailing() {
    if (mode == Mode.FAIL) {
      throw new IllegalStateException("resident registry unreachable");
    }
  }

  @Override
  public void close() {
    if (delegate != null) {
      delegate.close();
    }
  }
}

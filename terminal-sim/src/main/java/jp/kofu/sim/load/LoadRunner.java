package jp.kofu.sim.load;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import jp.kofu.pki.X509;
import jp.kofu.proto.KofuErrors;
import jp.kofu.proto.kiosk.v1.ConfirmDeliveryResponse;
import jp.kofu.proto.kiosk.v1.IssuanceState;
import jp.kofu.proto.kiosk.v1.ListOfferingsResponse;
import jp.kofu.proto.kiosk.v1.MunicipalityOfferings;
import jp.kofu.proto.kiosk.v1.OpenSessionResponse;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.Offering;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.MisissuanceException;
import jp.kofu.sim.copier.ReceivedDocument;

/**
 * Runs a {@link LoadPlan} against a {@link LoadTarget}: builds the copiers, schedules arrivals on
 * an open model (one scheduler thread paces intended start times; each arrival runs on its own
 * virtual thread, however many are still running), and records everything in {@link LoadMetrics}.
 */
public final class LoadRunner {
  private static final String[] CHAINS = {"seven", "lawson", "familymart", "ministop", "aeon"};
  private static final CertificateRequest RESIDENCE =
      CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build();

  private final LoadPlan plan;
  private final LoadTarget target;
  private volatile LoadMetrics metrics = new LoadMetrics();
  private final List<Copier> copiers = new ArrayList<>();
  private final ConcurrentLinkedQueue<CardWallet.Entry> idle = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<CardWallet.Entry> refusedCards = new ConcurrentLinkedQueue<>();

  public LoadRunner(LoadPlan plan, LoadTarget target) {
    this.plan = plan;
    this.target = target;
  }

  /** Sets up copiers and cards, runs the plan, waits for stragglers (at most 60 s), and reports. */
  public LoadReport run(Consumer<String> progress) throws InterruptedException {
    progress.accept(String.format("preparing %d copiers and %d cards...", plan.terminals(), target.wallet().entries().size()));
    List<KeyPair> terminalKeys = new ArrayList<>();
    for (int i = 0; i < Math.min(8, plan.terminals()); i++) {
      terminalKeys.add(X509.newRsaKeyPair());
    }
    for (int i = 0; i < plan.terminals(); i++) {
      String chain = CHAINS[i % CHAINS.length];
      String store = String.format("store-%05d", i / CHAINS.length);
      copiers.add(
          new Copier(
              target.gateway(),
              target.pki().terminal(chain, store, "copier-1", terminalKeys.get(i % terminalKeys.size())),
              target.pki().serviceCa().certificate(),
              List.of(target.pki().municipalCa().certificate())));
    }
    List<CardWallet.Entry> cards = new ArrayList<>(target.wallet().entries());
    Collections.shuffle(cards, new java.util.Random(plan.seed()));
    idle.addAll(cards);
    for (CardWallet.Entry e : cards) {
      target.wallet().card(e.residentId());
    }

    ExecutorService visits = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("visit-", 0).factory());
    SplittableRandom random = new SplittableRandom(plan.seed());
    if (!plan.warmup().isZero()) {
      progress.accept("warming up for " + plan.warmup() + " (not measured)...");
      long warmStart = System.nanoTime();
      schedule(visits, random, warmStart, warmStart + plan.warmup().toNanos());
      metrics = new LoadMetrics();
    }
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("load-ticker").factory());
    long start = System.nanoTime();
    long end = start + plan.duration().toNanos();
    ticker.scheduleAtFixedRate(
        () -> {
          LoadMetrics.Interval i = metrics.tick((System.nanoTime() - start) / 1e9);
          progress.accept(String.format(
              "t=%5.0fs  arrivals %5d/s  done %5d/s  in flight %5d  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  misissued %d",
              i.t(), i.arrivals(), i.completions(), i.inFlight(), i.p50() / 1e3, i.p99() / 1e3, i.max() / 1e3, metrics.violations().size()));
        },
        1, 1, TimeUnit.SECONDS);
    schedule(visits, random, start, end);
    visits.shutdown();
    boolean drained = visits.awaitTermination(60, TimeUnit.SECONDS);
    ticker.shutdown();
    ticker.awaitTermination(2, TimeUnit.SECONDS);
    metrics.tick((System.nanoTime() - start) / 1e9);
    long elapsed = System.nanoTime() - start;
    visits.shutdownNow();
    copiers.forEach(Copier::close);
    return new LoadReport(plan, target.inProcess(), metrics, elapsed, drained);
  }

  /** Arrivals from {@code start} to {@code end} on the plan's schedule, each started when due. */
  private void schedule(ExecutorService visits, SplittableRandom random, long start, long end) {
    double meanGapNanos = 1e9 / plan.ratePerSecond();
    double next = start;
    while (next < end) {
      long intended = (long) next;
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Scenario scenario = plan.mix().pick(random);
      Copier copier = copiers.get(random.nextInt(copiers.size()));
      LoadMetrics m = metrics;
      m.arrival();
      visits.execute(() -> visit(m, scenario, copier, intended));
      next += plan.poisson() ? -Math.log(1 - random.nextDouble()) * meanGapNanos : meanGapNanos;
    }
  }

  private void visit(LoadMetrics metrics, Scenario scenario, Copier copier, long intended) {
    boolean wantsRefused = scenario == Scenario.REFUSED_RESIDENT;
    CardWallet.Entry entry = wantsRefused ? refusedCards.poll() : idle.poll();
    if (entry == null) {
      metrics.outcome(wantsRefused ? "skipped: no refused resident known yet" : "client: no idle card (seed more residents)");
      return;
    }
    boolean returnToIdle = true;
    try {
      SimulatedCard card = target.wallet().card(entry.residentId());
      returnToIdle = run(metrics, scenario, copier, entry, card, intended);
    } catch (StatusRuntimeException e) {
      Reason reason = KofuErrors.reasonOf(e);
      if (reason == Reason.CARD_NOT_REGISTERED) {
        // Cards work from the day after issuance: this one was issued today.
        metrics.outcome("ok: card not usable yet (issued today), retired from the run");
        returnToIdle = false;
      } else if (e.getStatus().getCode() == io.grpc.Status.Code.FAILED_PRECONDITION && scenario != Scenario.REFUSED_RESIDENT) {
        // A refusal only issuance can find (e.g. DATA_TOO_LONG: the layout cannot print the
        // address): the municipality's answer, not a failure; the resident joins the refused ones.
        metrics.outcome("ok: refused at issuance " + reason + " (learned)");
        refusedCards.add(entry);
        returnToIdle = false;
      } else {
        metrics.outcome("error " + e.getStatus().getCode() + " " + reason);
      }
    } catch (MisissuanceException e) {
      metrics.violation(e.getMessage());
      metrics.outcome("MISISSUANCE DETECTED");
    } catch (SimulatedCard.PinException e) {
      metrics.outcome("client: card " + e.getMessage());
    } catch (RuntimeException e) {
      metrics.outcome("client error " + e.getClass().getSimpleName());
    } finally {
      if (returnToIdle) {
        (wantsRefused ? refusedCards : idle).add(entry);
      }
    }
  }

  /** One resident at one copier. Returns whether the card can be used again. */
  private boolean run(LoadMetrics metrics, Scenario scenario, Copier copier, CardWallet.Entry entry, SimulatedCard card, long intended)
      throws SimulatedCard.PinException, MisissuanceException {
    long t0 = System.nanoTime();
    OpenSessionResponse session = copier.openSession();
    if (scenario == Scenario.WRONG_PIN || scenario == Scenario.LOCKED_CARD) {
      String wrong = entry.pin().equals("0000") ? "9999" : "0000";
      int tries = scenario == Scenario.WRONG_PIN ? 1 : SimulatedCard.MAX_TRIES;
      for (int i = 0; i < tries; i++) {
        try {
          card.sign(wrong, session.getChallenge().toByteArray());
        } catch (SimulatedCard.PinException expected) {
          // the copier asks again
        }
      }
      if (scenario == Scenario.LOCKED_CARD) {
        metrics.outcome("ok: card locked after 3 wrong PINs (as expected)");
        return false;
      }
    }
    ByteString token = copier.authenticate(session, card, entry.pin()).getSessionToken();
    metrics.record(Phase.AUTHENTICATE, System.nanoTime() - t0);
    try {
      long t1 = System.nanoTime();
      ListOfferingsResponse offerings = copier.offerings(token);
      metrics.record(Phase.OFFERINGS, System.nanoTime() - t1);
      Offering residence = residence(offerings, entry.municipalityCode());
      boolean eligible = residence != null && residence.getAvailable();
      if (scenario == Scenario.REFUSED_RESIDENT) {
        return refused(metrics, copier, token, entry);
      }
      if (!eligible) {
        // Learned: this resident cannot get a certificate here; used for refused-resident visits.
        refusedCards.add(entry);
        metrics.outcome("ok: ineligible resident learned (" + (residence == null ? "no offering" : residence.getUnavailableReason()) + ")");
        return false;
      }
      String orderId = UUID.randomUUID().toString();
      String code = entry.municipalityCode();
      if (scenario == Scenario.CANCEL) {
        copier.issueAndCancel(token, orderId, code, RESIDENCE);
      }
      ReceivedDocument doc = copier.issue(token, orderId, code, RESIDENCE);
      metrics.record(Phase.FIRST_BYTE, doc.headerNanos() - doc.calledNanos());
      metrics.record(Phase.ISSUE, doc.trailerNanos() - doc.calledNanos());
      copier.accept(doc, card, orderId, code);
      long complete = System.nanoTime() - intended;
      metrics.record(Phase.COMPLETE, complete);
      metrics.recordMunicipality(code, complete);
      if (scenario == Scenario.RETRY) {
        ReceivedDocument again = copier.issue(token, orderId, code, RESIDENCE);
        copier.accept(again, card, orderId, code);
        if (!again.header().getReplayed() || !java.util.Arrays.equals(again.pdf(), doc.pdf())) {
          metrics.violation("retry of order " + orderId + " returned another document");
        }
      }
      if (scenario == Scenario.CANCEL && !doc.header().getReplayed()) {
        metrics.violation("cancelled order " + orderId + " was issued twice");
      }
      boolean printed = scenario != Scenario.PRINT_FAILURE;
      ConfirmDeliveryResponse delivered = copier.confirm(token, doc.header().getIssuanceId(), printed);
      metrics.charged(doc.header().getFeeYen());
      metrics.refunded(delivered.getRefundedYen());
      if (printed ? delivered.getState() != IssuanceState.ISSUANCE_STATE_DELIVERED
          : delivered.getState() != IssuanceState.ISSUANCE_STATE_VOIDED || delivered.getRefundedYen() != doc.header().getFeeYen()) {
        metrics.violation("delivery of " + doc.header().getIssuanceId() + " settled as " + delivered.getState());
      }
      metrics.outcome("ok: " + scenario.key());
      return true;
    } finally {
      copier.closeSession(token);
    }
  }

  private static boolean refused(LoadMetrics metrics, Copier copier, ByteString token, CardWallet.Entry entry) {
    try {
      copier.issue(token, UUID.randomUUID().toString(), entry.municipalityCode(), RESIDENCE);
      metrics.violation("a resident refused at the copier got a document");
      metrics.outcome("MISISSUANCE DETECTED");
    } catch (StatusRuntimeException e) {
      metrics.outcome("ok: refused " + KofuErrors.reasonOf(e) + " (as expected)");
    }
    return true;
  }

  private static Offering residence(ListOfferingsResponse offerings, String code) {
    for (MunicipalityOfferings m : offerings.getMunicipalitiesList()) {
      if (m.getMunicipalityCode().equals(code)) {
        for (Offering o : m.getOfferingsList()) {
          if (o.getType() == CertificateType.CERTIFICATE_TYPE_RESIDENCE) {
            return o;
          }
        }
      }
    }
    return null;
  }
}

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
import jp.kofu.proto.kiosk.v1.IssueHeader;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * Runs a {@link LoadPlan} against a {@link LoadTarget}: builds the copiers (each connected to
 * every gateway of the target), schedules arrivals on an open model (one scheduler thread paces
 * intended start times; each arrival runs on its own virtual thread, however many are still
 * running), and records everything in {@link LoadMetrics} and every order in the {@link
 * OrderLedger}.
 *
 * <p>A call that gets no answer is made again on the next gateway with the same order id, and a
 * "not now" answer again after a pause, for up to {@link LoadPlan#retryFor} (see {@link Terminal}):
 * a ConfirmDelivery lost with its gateway is confirmed on another, so a printed document is never
 * voided for want of a confirmation.
 */
public final class LoadRunner {
  private static final String[] CHAINS = {"seven", "lawson", "familymart", "ministop", "aeon"};
  private static final CertificateRequest RESIDENCE =
      CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build();

  private final LoadPlan plan;
  private final LoadTarget target;
  private volatile LoadMetrics metrics = new LoadMetrics();
  private final OrderLedger ledger = new OrderLedger();
  private final List<Terminal> terminals = new ArrayList<>();
  private final ConcurrentLinkedQueue<CardWallet.Entry> idle = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<CardWallet.Entry> refusedCards = new ConcurrentLinkedQueue<>();
  private volatile java.util.function.BooleanSupplier extendWhile = () -> false;

  public LoadRunner(LoadPlan plan, LoadTarget target) {
    this.plan = plan;
    this.target = target;
  }

  /**
   * Keeps arrivals coming past the plan's duration for as long as {@code more} says (checked before
   * each arrival): a fault scenario whose faults take longer than planned still runs under load.
   */
  public LoadRunner extendWhile(java.util.function.BooleanSupplier more) {
    this.extendWhile = java.util.Objects.requireNonNull(more, "more");
    return this;
  }

  /** Every order placed (warm-up included) and what the gateways told of it. */
  public OrderLedger ledger() {
    return ledger;
  }

  /** Sets up copiers and cards, runs the plan, waits for stragglers, and reports. */
  public LoadReport run(Consumer<String> progress) throws InterruptedException {
    progress.accept(String.format("preparing %d copiers (each connected to %d gateway(s)) and %d cards...",
        plan.terminals(), target.gateways().size(), target.wallet().entries().size()));
    List<KeyPair> terminalKeys = new ArrayList<>();
    for (int i = 0; i < Math.min(8, plan.terminals()); i++) {
      terminalKeys.add(X509.newRsaKeyPair());
    }
    for (int i = 0; i < plan.terminals(); i++) {
      String chain = CHAINS[i % CHAINS.length];
      String store = String.format("store-%05d", i / CHAINS.length);
      jp.kofu.pki.HeldCertificate terminal = target.pki().terminal(chain, store, "copier-1", terminalKeys.get(i % terminalKeys.size()));
      List<Copier> perGateway = new ArrayList<>();
      for (java.net.InetSocketAddress gateway : target.gateways()) {
        perGateway.add(
            new Copier(gateway, terminal, target.pki().serviceCa().certificate(), List.of(target.pki().municipalCa().certificate())));
      }
      terminals.add(new Terminal(perGateway, i));
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
      schedule(visits, random, warmStart, warmStart + plan.warmup().toNanos(), () -> false);
      metrics = new LoadMetrics();
    }
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("load-ticker").factory());
    long start = System.nanoTime();
    long end = start + plan.duration().toNanos();
    ticker.scheduleAtFixedRate(
        () -> {
          LoadMetrics.Interval i = metrics.tick((System.nanoTime() - start) / 1e9);
          progress.accept(String.format(
              "t=%5.0fs  arrivals %5d/s  done %5d/s  in flight %5d  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  failovers %d  misissued %d",
              i.t(), i.arrivals(), i.completions(), i.inFlight(), i.p50() / 1e3, i.p99() / 1e3, i.max() / 1e3,
              metrics.failovers(), metrics.violations().size()));
        },
        1, 1, TimeUnit.SECONDS);
    schedule(visits, random, start, end, extendWhile);
    visits.shutdown();
    // A visit may retry each of its calls for retryFor: stragglers get that, and a minute more.
    boolean drained = visits.awaitTermination(60 + plan.retryFor().toSeconds() * 2, TimeUnit.SECONDS);
    ticker.shutdown();
    ticker.awaitTermination(2, TimeUnit.SECONDS);
    metrics.tick((System.nanoTime() - start) / 1e9);
    long elapsed = System.nanoTime() - start;
    visits.shutdownNow();
    terminals.forEach(Terminal::close);
    return new LoadReport(plan, target.inProcess(), metrics, elapsed, drained);
  }

  /** Arrivals from {@code start} to {@code end} on the plan's schedule, each started when due. */
  private void schedule(ExecutorService visits, SplittableRandom random, long start, long end, java.util.function.BooleanSupplier more) {
    double meanGapNanos = 1e9 / plan.ratePerSecond();
    double next = start;
    while (next < end || more.getAsBoolean()) {
      long intended = (long) next;
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Scenario scenario = plan.mix().pick(random);
      Terminal terminal = terminals.get(random.nextInt(terminals.size()));
      LoadMetrics m = metrics;
      m.arrival();
      visits.execute(() -> visit(m, scenario, terminal, intended));
      next += plan.poisson() ? -Math.log(1 - random.nextDouble()) * meanGapNanos : meanGapNanos;
    }
  }

  /** The card's PIN check failed inside a retried call: carried out of it unchanged. */
  private static final class PinFailure extends RuntimeException {
    PinFailure(SimulatedCard.PinException cause) {
      super(cause);
    }
  }

  private void visit(LoadMetrics metrics, Scenario scenario, Terminal terminal, long intended) {
    boolean wantsRefused = scenario == Scenario.REFUSED_RESIDENT;
    CardWallet.Entry entry = wantsRefused ? refusedCards.poll() : idle.poll();
    if (entry == null) {
      metrics.outcome(wantsRefused ? "skipped: no refused resident known yet" : "client: no idle card (seed more residents)");
      return;
    }
    boolean returnToIdle = true;
    try {
      SimulatedCard card = target.wallet().card(entry.residentId());
      returnToIdle = run(metrics, scenario, terminal, entry, card, intended);
    } catch (StatusRuntimeException e) {
      Reason reason = KofuErrors.reasonOf(e);
      Failure kind = Failure.of(e);
      if (kind == Failure.TRANSPORT) {
        metrics.outcome("gave up: no answer from any gateway for " + plan.retryFor().toMillis() + " ms (" + Failure.label(e) + ")");
      } else if (kind == Failure.RETRY_LATER) {
        metrics.outcome("gave up: still " + Failure.label(e) + " after " + plan.retryFor().toMillis() + " ms");
      } else if (reason == Reason.CARD_NOT_REGISTERED) {
        // Cards work from the day after issuance: this one was issued today.
        metrics.outcome("ok: card not usable yet (issued today), retired from the run");
        returnToIdle = false;
      } else if (scenario != Scenario.REFUSED_RESIDENT && Eligibility.definiteRefusal(reason)) {
        // A refusal only issuance can find (e.g. DATA_TOO_LONG: the layout cannot print the
        // address): the municipality's answer about this resident; they join the refused ones.
        metrics.outcome("ok: refused at issuance " + reason + " (learned)");
        refusedCards.add(entry);
        returnToIdle = false;
      } else {
        metrics.outcome("error " + Failure.label(e));
      }
    } catch (MisissuanceException e) {
      metrics.violation(e.getMessage());
      metrics.outcome("MISISSUANCE DETECTED");
    } catch (PinFailure e) {
      metrics.outcome("client: card " + e.getCause().getMessage());
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

  /** A call made until answered, failing over between gateways, within the plan's retry budget. */
  private <T> T call(LoadMetrics metrics, Terminal terminal, OrderLedger.Order order, Function<Copier, T> call) {
    return terminal.call(metrics, System.nanoTime() + plan.retryFor().toNanos(), order, call);
  }

  /** One resident at one copier. Returns whether the card can be used again. */
  private boolean run(LoadMetrics metrics, Scenario scenario, Terminal terminal, CardWallet.Entry entry, SimulatedCard card, long intended)
      throws SimulatedCard.PinException, MisissuanceException {
    long t0 = System.nanoTime();
    if (scenario == Scenario.WRONG_PIN || scenario == Scenario.LOCKED_CARD) {
      OpenSessionResponse session = call(metrics, terminal, null, Copier::openSession);
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
    ByteString token =
        call(metrics, terminal, null, c -> {
              try {
                return c.authenticate(c.openSession(), card, entry.pin());
              } catch (SimulatedCard.PinException e) {
                throw new PinFailure(e);
              }
            })
            .getSessionToken();
    metrics.record(Phase.AUTHENTICATE, System.nanoTime() - t0);
    try {
      long t1 = System.nanoTime();
      ListOfferingsResponse offerings = call(metrics, terminal, null, c -> c.offerings(token));
      metrics.record(Phase.OFFERINGS, System.nanoTime() - t1);
      String code = entry.municipalityCode();
      if (scenario == Scenario.REFUSED_RESIDENT) {
        return refused(metrics, terminal, token, entry, card);
      }
      Offering residence = residence(offerings, code);
      if (residence == null || !residence.getAvailable()) {
        Reason why = residence != null ? residence.getUnavailableReason() : municipalityReason(offerings, code);
        if (Eligibility.definiteRefusal(why)) {
          // Learned: this resident cannot get a certificate here; used for refused-resident visits.
          refusedCards.add(entry);
          metrics.outcome("ok: ineligible resident learned (" + why + ")");
          return false;
        }
        // The municipality down, closed or missing: says nothing about the resident.
        metrics.outcome("not offered now: " + (why == Reason.REASON_UNSPECIFIED ? "no offering" : why.name()) + " (not learned)");
        return true;
      }
      String orderId = UUID.randomUUID().toString();
      boolean printed = scenario != Scenario.PRINT_FAILURE;
      OrderLedger.Order order = ledger.place(orderId, code, printed);
      if (scenario == Scenario.CANCEL) {
        call(metrics, terminal, order, c -> c.issueAndCancel(token, orderId, code, RESIDENCE));
      }
      ReceivedDocument doc = issue(metrics, terminal, order, token);
      metrics.record(Phase.FIRST_BYTE, doc.headerNanos() - doc.calledNanos());
      metrics.record(Phase.ISSUE, doc.trailerNanos() - doc.calledNanos());
      terminal.copier().accept(doc, card, orderId, code);
      long complete = System.nanoTime() - intended;
      metrics.record(Phase.COMPLETE, complete);
      metrics.recordMunicipality(code, complete);
      metrics.charged(doc.header().getFeeYen());
      if (scenario == Scenario.RETRY) {
        ReceivedDocument again = issue(metrics, terminal, order, token);
        terminal.copier().accept(again, card, orderId, code);
        if (!again.header().getReplayed() || !java.util.Arrays.equals(again.pdf(), doc.pdf())) {
          metrics.violation("retry of order " + orderId + " returned another document");
        }
      }
      if (scenario == Scenario.CANCEL && !doc.header().getReplayed()) {
        metrics.violation("cancelled order " + orderId + " was issued twice");
      }
      confirm(metrics, terminal, order, token, doc);
      metrics.outcome("ok: " + scenario.key());
      return true;
    } finally {
      closeSession(metrics, terminal, token);
    }
  }

  /**
   * Issue with retries; the header is written to the ledger the moment it arrives, and a retry
   * of the order must announce the very same issuance and document.
   */
  private ReceivedDocument issue(LoadMetrics metrics, Terminal terminal, OrderLedger.Order order, ByteString token) {
    return call(metrics, terminal, order, c -> c.issue(token, order.orderId(), order.municipalityCode(), RESIDENCE, h -> header(metrics, order, h)));
  }

  private static void header(LoadMetrics metrics, OrderLedger.Order order, IssueHeader h) {
    String sha = HexFormat.of().formatHex(h.getSha256().toByteArray());
    if (order.issuanceId() != null && (!order.issuanceId().equals(h.getIssuanceId()) || !order.sha256Hex().equals(sha))) {
      metrics.violation("order " + order.orderId() + " was announced two documents: " + order.issuanceId() + " and " + h.getIssuanceId());
    }
    order.issued(h.getIssuanceId(), sha, h.getFeeYen());
  }

  /** ConfirmDelivery until answered: a lost confirmation is sent again, to another gateway if need be. */
  private void confirm(LoadMetrics metrics, Terminal terminal, OrderLedger.Order order, ByteString token, ReceivedDocument doc) {
    ConfirmDeliveryResponse delivered = call(metrics, terminal, order, c -> c.confirm(token, doc.header().getIssuanceId(), order.print()));
    order.confirmed(delivered.getState(), delivered.getRefundedYen());
    metrics.refunded(delivered.getRefundedYen());
    if (order.print() ? delivered.getState() != IssuanceState.ISSUANCE_STATE_DELIVERED
        : delivered.getState() != IssuanceState.ISSUANCE_STATE_VOIDED || delivered.getRefundedYen() != doc.header().getFeeYen()) {
      metrics.violation("delivery of " + doc.header().getIssuanceId() + " settled as " + delivered.getState());
    }
  }

  /** Best effort, as a copier does: an unclosed session expires by itself. */
  private void closeSession(LoadMetrics metrics, Terminal terminal, ByteString token) {
    try {
      terminal.call(metrics, System.nanoTime() + TimeUnit.SECONDS.toNanos(2), null, c -> {
        c.closeSession(token);
        return null;
      });
    } catch (StatusRuntimeException e) {
      metrics.retryLater("CloseSession given up (the session expires by itself): " + Failure.label(e));
    }
  }

  /**
   * A resident learned as refused asks anyway. A refusal is expected; a document that arrives is
   * judged by the misissuance detector alone: one signed by the municipality and bound to this
   * card and order is genuine (the municipality issues to this resident now), printed and
   * confirmed; anything else is a misissuance.
   */
  private boolean refused(LoadMetrics metrics, Terminal terminal, ByteString token, CardWallet.Entry entry, SimulatedCard card)
      throws MisissuanceException {
    OrderLedger.Order order = ledger.place(UUID.randomUUID().toString(), entry.municipalityCode(), true);
    ReceivedDocument doc;
    try {
      doc = issue(metrics, terminal, order, token);
    } catch (StatusRuntimeException e) {
      if (Failure.of(e) != Failure.REFUSAL) {
        throw e;
      }
      metrics.outcome("ok: refused " + KofuErrors.reasonOf(e) + " (as expected)");
      return true;
    }
    terminal.copier().accept(doc, card, order.orderId(), entry.municipalityCode());
    metrics.charged(doc.header().getFeeYen());
    confirm(metrics, terminal, order, token, doc);
    metrics.outcome("ok: a resident learned as refused got a genuine document (learned again as eligible)");
    idle.add(entry);
    return false;
  }

  private static Reason municipalityReason(ListOfferingsResponse offerings, String code) {
    for (MunicipalityOfferings m : offerings.getMunicipalitiesList()) {
      if (m.getMunicipalityCode().equals(code)) {
        return m.getUnavailableReason();
      }
    }
    return Reason.REASON_UNSPECIFIED;
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

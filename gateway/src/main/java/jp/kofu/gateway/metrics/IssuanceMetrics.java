package jp.kofu.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.kofu.proto.type.v1.Reason;

/**
 * What the business reads off a gateway: issuances by municipality, certificate type and outcome
 * ({@code kofu_issuances_total}), fees charged ({@code kofu_fees_yen_total}), deliveries and
 * refunds, and the one counter that must stay 0 forever: documents a municipality returned that
 * failed the gateway's binding check ({@code kofu_documents_binding_refused_total}, DOMAIN.md §7:
 * a wrong person's document stopped before a byte left). It exists from the start for every
 * municipality served, so an alert on it has a series to watch before the first event.
 */
public final class IssuanceMetrics {
  private final MeterRegistry meters;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final java.util.Set<String> served;

  /** Codes outside {@code municipalityCodes} (typed by copiers, refused) are all tagged "other". */
  public IssuanceMetrics(MeterRegistry meters, Collection<String> municipalityCodes) {
    this.meters = meters;
    this.served = java.util.Set.copyOf(municipalityCodes);
    for (String code : municipalityCodes) {
      bindingRefusals(code);
    }
  }

  /** A document streamed to a copier; {@code replayed}: a retry of an order already issued (no new fee). */
  public void issued(String municipality, String type, int feeYen, boolean replayed) {
    issuances(municipality, type, replayed ? "replayed" : "issued").increment();
    if (!replayed && feeYen > 0) {
      counter("kofu.fees", "yen", "Fees charged for documents issued (before refunds)", "municipality", tag(municipality), "type", type)
          .increment(feeYen);
    }
  }

  /** An order refused with {@code reason} (or failed inside the gateway: reason null). */
  public void refused(String municipality, String type, Reason reason) {
    issuances(municipality, type, reason == null ? "INTERNAL" : reason.name()).increment();
    if (reason == Reason.DOCUMENT_BINDING_MISMATCH) {
      bindingRefusals(municipality).increment();
    }
  }

  /** A delivery confirmed by the copier: printed, or failed and refunded. */
  public void delivered(boolean printed, long refundedYen) {
    counter("kofu.deliveries", null, "Deliveries confirmed by copiers", "outcome", printed ? "printed" : "failed").increment();
    if (refundedYen > 0) {
      counter("kofu.refunds", "yen", "Fees refunded for documents that did not print").increment(refundedYen);
    }
  }

  private Counter issuances(String municipality, String type, String outcome) {
    return counter(
        "kofu.issuances", null, "Orders by municipality, certificate type and outcome (issued, replayed or the refusal reason)",
        "municipality", tag(municipality), "type", type, "outcome", outcome);
  }

  private Counter bindingRefusals(String municipality) {
    return counter(
        "kofu.documents.binding.refused", null,
        "Documents refused by the gateway's binding check: must stay 0; any increase pages at once",
        "municipality", tag(municipality));
  }

  private String tag(String municipality) {
    return served.contains(municipality) ? municipality : "other";
  }

  private Counter counter(String name, String unit, String description, String... tags) {
    String key = name + String.join("|", tags);
    return counters.computeIfAbsent(
        key, k -> Counter.builder(name).baseUnit(unit).description(description).tags(tags).register(meters));
  }
}

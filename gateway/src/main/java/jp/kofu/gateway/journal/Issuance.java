package jp.kofu.gateway.journal;

import java.time.Instant;
import java.util.Objects;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.Relation;

/**
 * One journal record, composed of its parts: the order (when, where, what, for which card), who is
 * working on it (the attempt), what was issued (the document's facts), and how it ended (the
 * settlement). No personal data: the card appears only as a keyed hash, the document only as its
 * digest. How it is stored is {@link IssuanceRow}'s business alone.
 *
 * @param attempt the last attempt on the order (never null for a journaled order)
 * @param issued null until the document is issued
 * @param settled null until the issuance is refused, delivered or voided
 */
public record Issuance(Order order, Instant orderedAt, IssuanceState state, Attempt attempt, Issued issued, Settled settled) {
  public Issuance {
    Objects.requireNonNull(order, "order");
    Objects.requireNonNull(orderedAt, "orderedAt");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(attempt, "attempt");
  }

  /**
   * An order as the gateway journals it: which issuance and order, where (store chain, store,
   * terminal), what (municipality, relation, type, copies), for which card (its keyed hash) and
   * session, and the binding the document must carry.
   */
  public record Order(
      String issuanceId,
      String orderId,
      Digest orderDigest,
      Digest cardKey,
      String sessionId,
      String storeChain,
      String store,
      String terminal,
      String municipalityCode,
      Relation relation,
      CertificateType certificateType,
      int copies,
      Digest binding) {}

  /**
   * The last gateway attempt on the order: its id while it works on it (null once it let go or
   * issued), and when it started (what reconciliation measures an abandoned order from).
   */
  public record Attempt(String id, Instant startedAt) {}

  /** The verified document, and when it was issued (and charged). */
  public record Issued(IssuedFacts facts, Instant at) {}

  /**
   * How the issuance ended, and when: refused (with the true reason), delivered (nothing
   * refunded), or voided (why, the refund, and the copier's print failure).
   */
  public record Settled(Instant at, String refusalReason, Integer refundedYen, VoidReason voidReason, String printFailure) {}

  /** A new order, ORDERED and owned by {@code attemptId}. */
  static Issuance ordered(Order order, String attemptId, Instant at) {
    return new Issuance(order, at, IssuanceState.ORDERED, new Attempt(attemptId, at), null, null);
  }

  Issuance withAttempt(Attempt a) {
    return new Issuance(order, orderedAt, state, a, issued, settled);
  }

  Issuance issued(IssuedFacts facts, Instant at) {
    return new Issuance(order, orderedAt, IssuanceState.ISSUED, new Attempt(null, attempt.startedAt()), new Issued(facts, at), null);
  }

  // Shortcuts for what callers ask most.

  public String issuanceId() {
    return order.issuanceId();
  }

  public String orderId() {
    return order.orderId();
  }

  public Digest cardKey() {
    return order.cardKey();
  }

  public String attemptId() {
    return attempt.id();
  }

  /** The fee charged, once issued. */
  public Integer feeYen() {
    return issued == null ? null : issued.facts().feeYen();
  }

  public Instant issuedAt() {
    return issued == null ? null : issued.at();
  }

  public Digest documentSha256() {
    return issued == null ? null : issued.facts().documentSha256();
  }

  public String verificationCode() {
    return issued == null ? null : issued.facts().verificationCode();
  }

  public Instant settledAt() {
    return settled == null ? null : settled.at();
  }

  public String refusalReason() {
    return settled == null ? null : settled.refusalReason();
  }

  public Integer refundedYen() {
    return settled == null ? null : settled.refundedYen();
  }

  public VoidReason voidReason() {
    return settled == null ? null : settled.voidReason();
  }

  public String printFailure() {
    return settled == null ? null : settled.printFailure();
  }
}

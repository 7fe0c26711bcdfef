package jp.kofu.gateway.journal;

/** What a journal event records. Every change of an issuance's state is one of these. */
public enum EventKind {
  /** The order was journaled (state ORDERED): terminal, municipality, type, copies, card key. */
  ORDERED,
  /** A retry took the order over (back to ORDERED from REFUSED, or from an attempt that died). */
  CLAIMED,
  /**
   * The municipality's document passed the gateway's check: signature by the municipality asked,
   * this card's and this order's binding, this issuance's document number. Always just before
   * ISSUED, in the same transaction.
   */
  BINDING_CHECKED,
  /** The municipality's document failed that check and was discarded (then REFUSED). */
  BINDING_CHECK_FAILED,
  /** The verified document is held and its fee charged (state ISSUED). */
  ISSUED,
  /** The municipality refused, or its document failed the check (state REFUSED; nothing charged). */
  REFUSED,
  /** A retried order was answered with the document already issued (no new document, no charge). */
  REPLAYED,
  /** The copier confirmed that every copy was printed (state DELIVERED). */
  DELIVERED,
  /** Printing failed, or was never confirmed, or the order was abandoned (state VOIDED; refunded). */
  VOIDED
}

package jp.kofu.gateway.settlement;

/**
 * One row of a settlement report: one municipality, one store chain, or the total. Over the
 * issuances issued on the day: {@code grossYen = deliveredYen + refundedYen + pendingYen} always;
 * {@code netYen = grossYen - refundedYen}; {@code commissionYen} is the store chains' commission
 * for every copy printed; {@code payableYen = netYen - commissionYen} is what goes on to the
 * municipality. Pending issuances (issued, not yet confirmed) make the row provisional.
 */
public record SettlementLine(
    String key,
    String name,
    int issued,
    int delivered,
    int voided,
    int pending,
    long copiesDelivered,
    long grossYen,
    long deliveredYen,
    long refundedYen,
    long pendingYen,
    long netYen,
    long commissionYen,
    long payableYen) {

  static final String[] COLUMNS = {
    "issued", "delivered", "voided", "pending", "copies_delivered", "gross_yen", "delivered_yen", "refunded_yen",
    "pending_yen", "net_yen", "commission_yen", "payable_yen"
  };

  Object[] values() {
    return new Object[] {
      issued, delivered, voided, pending, copiesDelivered, grossYen, deliveredYen, refundedYen, pendingYen, netYen,
      commissionYen, payableYen
    };
  }
}

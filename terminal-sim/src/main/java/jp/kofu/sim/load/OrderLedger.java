package jp.kofu.sim.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.kofu.proto.kiosk.v1.IssuanceState;

/**
 * Every order the simulator placed and what the gateways told it of each: the issuance whose
 * header arrived (and its document's digest and fee), and the settled state its confirmation was
 * answered with. That is all a cluster owes the copiers, so a scenario that kills gateways checks
 * the journal against this ledger.
 */
public final class OrderLedger {
  /** One order; written by the visit that placed it, read once the run is over. */
  public static final class Order {
    private final String orderId;
    private final String municipalityCode;
    private final boolean print;
    private final long placedNanos = System.nanoTime();
    private volatile String issuanceId;
    private volatile String sha256Hex;
    private volatile int feeYen;
    private volatile IssuanceState confirmed;
    private volatile int refundedYen;
    private volatile int transportFailures;

    Order(String orderId, String municipalityCode, boolean print) {
      this.orderId = orderId;
      this.municipalityCode = municipalityCode;
      this.print = print;
    }

    public String orderId() {
      return orderId;
    }

    public String municipalityCode() {
      return municipalityCode;
    }

    /** Whether the copier meant to print it (false: it confirms a print failure). */
    public boolean print() {
      return print;
    }

    /** When the order was placed (System.nanoTime). */
    public long placedNanos() {
      return placedNanos;
    }

    /** The issuance whose document header reached the copier, or null. */
    public String issuanceId() {
      return issuanceId;
    }

    /** The SHA-256 of the document the header announced, hex, or null. */
    public String sha256Hex() {
      return sha256Hex;
    }

    public int feeYen() {
      return feeYen;
    }

    /** The state a ConfirmDelivery was answered with, or null when no answer came. */
    public IssuanceState confirmed() {
      return confirmed;
    }

    public int refundedYen() {
      return refundedYen;
    }

    /** Calls of this order that failed without an answer (a gateway gone): it was failed over. */
    public int transportFailures() {
      return transportFailures;
    }

    synchronized void transportFailure() {
      transportFailures++;
    }

    void issued(String issuanceId, String sha256Hex, int feeYen) {
      this.issuanceId = issuanceId;
      this.sha256Hex = sha256Hex;
      this.feeYen = feeYen;
    }

    void confirmed(IssuanceState state, int refundedYen) {
      this.confirmed = state;
      this.refundedYen = refundedYen;
    }

    @Override
    public String toString() {
      return "order " + orderId + " (issuance " + issuanceId + ", confirmed " + confirmed + ", transport failures " + transportFailures + ")";
    }
  }

  private final Map<String, Order> orders = new ConcurrentHashMap<>();

  Order place(String orderId, String municipalityCode, boolean print) {
    Order o = new Order(orderId, municipalityCode, print);
    orders.put(orderId, o);
    return o;
  }

  public List<Order> orders() {
    return new ArrayList<>(orders.values());
  }
}

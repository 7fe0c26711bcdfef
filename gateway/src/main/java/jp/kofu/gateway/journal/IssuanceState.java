package jp.kofu.gateway.journal;

/** ORDERED → ISSUED → DELIVERED, or → VOIDED; REFUSED when the municipality said no. */
public enum IssuanceState {
  ORDERED,
  ISSUED,
  DELIVERED,
  VOIDED,
  REFUSED;

  public boolean settled() {
    return this == DELIVERED || this == VOIDED;
  }
}

package jp.kofu.gateway.journal;

/** Why an issuance was voided. */
public enum VoidReason {
  /** The copier reported that printing failed: the fee is refunded. */
  PRINT_FAILED,
  /** Issued but never confirmed within the timeout: reconciliation voided it and refunded the fee. */
  UNCONFIRMED,
  /** Ordered but never issued within the timeout (the copier gave up): nothing was charged. */
  ABANDONED
}

package jp.kofu.issuer.registry;

/** Where a resident's record stands. */
public enum ResidentStatus {
  ACTIVE,
  /** 転出届 filed: still recorded here, but no longer issued at stores. */
  MOVE_OUT_FILED,
  /** 転出: removed from the household (消除者); never printed. */
  MOVED_OUT,
  /** 死亡: removed from the household (消除者); never printed. */
  DECEASED;

  /** Removed persons (消除者) are never printed on a household's certificate. */
  public boolean removed() {
    return this == MOVED_OUT || this == DECEASED;
  }
}

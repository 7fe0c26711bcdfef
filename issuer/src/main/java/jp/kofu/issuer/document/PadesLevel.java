package jp.kofu.issuer.document;

/**
 * The PAdES baseline level a verified signature reaches (ETSI EN 319 142-1 §6): what a verifier
 * can still establish about it later.
 */
public enum PadesLevel {
  /** Signed: valid while its certificates are. */
  B_B("B-B"),
  /** Signed and timestamped: the time the signature existed is attested by a time-stamping unit. */
  B_T("B-T"),
  /**
   * Timestamped, with the validation data (certificates and revocation data of the signing and
   * time-stamping chains) in the document's DSS: checkable without asking anyone.
   */
  B_LT("B-LT");

  private final String label;

  PadesLevel(String label) {
    this.label = label;
  }

  /** As ETSI writes it: "B-B", "B-T", "B-LT". */
  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }
}

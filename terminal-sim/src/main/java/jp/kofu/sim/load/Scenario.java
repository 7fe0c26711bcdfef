package jp.kofu.sim.load;

/** What a simulated resident does at the copier. */
public enum Scenario {
  /** Authenticate, list offerings, issue a certificate of residence, print, confirm. */
  ISSUE("issue"),
  /** Enters a wrong PIN once, then the right one, then issues. */
  WRONG_PIN("wrong-pin"),
  /** Enters a wrong PIN three times: the card locks (on the card) and is retired from the run. */
  LOCKED_CARD("locked-card"),
  /** A resident the municipality refuses (under 15, moved out, ...): asks anyway, gets the reason. */
  REFUSED_RESIDENT("refused-resident"),
  /** The print fails: the copier confirms FAILED, the issuance is voided and refunded. */
  PRINT_FAILURE("print-failure"),
  /** The response is lost: the copier sends the same order again and must get the same document. */
  RETRY("retry"),
  /** The resident walks away mid-stream: the call is cancelled; the copier later retries the order. */
  CANCEL("cancel");

  private final String key;

  Scenario(String key) {
    this.key = key;
  }

  /** The name used in mix files and reports. */
  public String key() {
    return key;
  }

  public static Scenario fromKey(String key) {
    for (Scenario s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    throw new IllegalArgumentException("scenario '" + key + "' (expected one of " + java.util.Arrays.stream(values()).map(Scenario::key).toList() + ")");
  }
}

package jp.kofu.sim.load;

/** The latencies the simulator records, in microseconds. */
public enum Phase {
  /** OpenSession, the card's signature, Authenticate: service time. */
  AUTHENTICATE("authenticate"),
  /** ListOfferings: service time. */
  OFFERINGS("offerings"),
  /** From the Issue call to the stream's header: service time. */
  FIRST_BYTE("first byte of issue"),
  /** From the Issue call to the trailer, the whole document received: service time. */
  ISSUE("complete issue"),
  /**
   * From the request's intended start to a verified document in the copier's hands: what a
   * resident waits, queueing included. The figure that cannot hide stalls.
   */
  COMPLETE("end to end (from intended start)");

  private final String label;

  Phase(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}

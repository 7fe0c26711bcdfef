package jp.kofu.sim.copier;

/**
 * A copier received a document it must not print: not signed by the municipality asked, or not
 * bound to this card and this order, or damaged in transit. The load simulator fails the run.
 */
public class MisissuanceException extends Exception {
  public MisissuanceException(String message) {
    super(message);
  }
}

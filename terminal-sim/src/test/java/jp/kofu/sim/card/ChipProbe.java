package jp.kofu.sim.card;

import java.nio.file.Path;
import jp.kofu.pki.HeldCertificate;

/** Run in a second JVM by {@link SimulatedCardTest}: tries the right PIN on a card kept on disk. */
public final class ChipProbe {
  private ChipProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    SimulatedCard card = SimulatedCard.open(dir, HeldCertificate.readFrom(dir), "0000", false);
    try {
      card.sign(args[1], new byte[] {1});
      System.out.println("signed remaining=" + card.remainingTries());
    } catch (SimulatedCard.PinException e) {
      System.out.println((card.locked() ? "locked" : "wrong") + " remaining=" + e.remainingTries());
    }
  }
}

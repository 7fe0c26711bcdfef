package jp.kofu.sim.load;

import java.net.InetSocketAddress;
import java.util.List;
import jp.kofu.pki.TrustWorld;
import jp.kofu.sim.card.CardWallet;

/**
 * What the simulator drives: the gateways of one cluster (each copier connects to all of them and
 * fails over from one to the next), the trust world its copiers and cards come from, and the card
 * holders' wallet.
 *
 * @param inProcess whether the gateway runs in this JVM (then the heap figures are the gateway's)
 */
public record LoadTarget(List<InetSocketAddress> gateways, TrustWorld pki, CardWallet wallet, boolean inProcess) {
  public LoadTarget {
    gateways = List.copyOf(gateways);
    if (gateways.isEmpty()) {
      throw new IllegalArgumentException("gateways: none (expected: at least one HOST:PORT)");
    }
  }

  /** One gateway. */
  public LoadTarget(InetSocketAddress gateway, TrustWorld pki, CardWallet wallet, boolean inProcess) {
    this(List.of(gateway), pki, wallet, inProcess);
  }
}

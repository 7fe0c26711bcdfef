package jp.kofu.sim.load;

import java.net.InetSocketAddress;
import jp.kofu.pki.TrustWorld;
import jp.kofu.sim.card.CardWallet;

/**
 * What the simulator drives: a gateway, the trust world its copiers and cards come from, and the
 * card holders' wallet.
 *
 * @param inProcess whether the gateway runs in this JVM (then the heap figures are the gateway's)
 */
public record LoadTarget(InetSocketAddress gateway, TrustWorld pki, CardWallet wallet, boolean inProcess) {}

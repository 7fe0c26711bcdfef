package jp.kofu.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import jp.kofu.pki.TrustWorld;
import org.junit.jupiter.api.Test;

/**
 * The issuing CAs are the CAs that sign cards: a root that came along in a CA file (which often
 * carries its chain, as the development world's card-CA files do) is not one of them. Else CRL
 * mode would require a CRL of the root's, and readiness would wait for it forever.
 */
class CardTrustTest {
  @Test
  void aRootCarriedInTheCardCaFilesIsNotAnIssuer() {
    TrustWorld world = TrustWorld.generate();
    var root = world.cardRoot().certificate();
    CardTrust trust =
        CardTrust.of(List.of(root), List.of(world.cardCa().certificate(), root), List.of(world.smartphoneCa().certificate(), root));

    assertThat(trust.issuers()).extracting(CardTrust.IssuingCa::certificate)
        .containsExactly(world.cardCa().certificate(), world.smartphoneCa().certificate());
  }
}

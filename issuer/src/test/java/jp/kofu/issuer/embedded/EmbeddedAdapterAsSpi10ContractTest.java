package jp.kofu.issuer.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import jp.kofu.issuer.contract.IssuerAdapterContractTest;
import jp.kofu.issuer.contract.SeededMunicipality;
import jp.kofu.issuer.contract.Spi10Adapter;
import jp.kofu.issuer.spi.CardIssueCommand;
import jp.kofu.pki.TrustWorld;
import jp.kofu.storage.Databases;
import org.junit.jupiter.api.Test;

/**
 * An adapter of SPI 1.0 (only resolveCard, offerings and the old issue) keeps the whole contract
 * under SPI 1.1, the one-call issuance included, through the SPI's default method.
 */
class EmbeddedAdapterAsSpi10ContractTest extends IssuerAdapterContractTest {
  private SeededMunicipality seeded;

  @Override
  protected Fixture createFixture() {
    seeded = SeededMunicipality.seed(Databases.Kind.H2, TrustWorld.generate(), List.of("131016"), 60, jp.kofu.testing.FakeClock.inServiceHours());
    return seeded.fixture(new Spi10Adapter(seeded.adapter(Set.of("131016"))), "131016");
  }

  @Override
  protected void releaseFixture() {
    if (seeded != null) {
      seeded.close();
    }
  }

  @Test
  void theAdapterUnderTestInheritsTheOneCall() throws Exception {
    assertThat(Spi10Adapter.class.getMethod("issue", CardIssueCommand.class).isDefault()).isTrue();
  }
}

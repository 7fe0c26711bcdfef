package jp.kofu.issuer.embedded;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import jp.kofu.issuer.contract.IssuerAdapterContractTest;
import jp.kofu.issuer.contract.SeededMunicipality;
import jp.kofu.pki.TrustWorld;
import jp.kofu.storage.Databases;

/** The embedded adapter under the adapter contract, on one kind of database. */
abstract class EmbeddedAdapterContract extends IssuerAdapterContractTest {
  private SeededMunicipality seeded;

  abstract Databases.Kind kind();

  @Override
  protected Fixture createFixture() {
    seeded = SeededMunicipality.seed(kind(), TrustWorld.generate(), List.of("131016"), 80, jp.kofu.testing.FakeClock.inServiceHours());
    return seeded.fixture(seeded.adapter(Set.of("131016")), "131016");
  }

  @Override
  protected void releaseFixture() {
    if (seeded != null) {
      seeded.close();
    }
  }
}

package jp.kofu.issuer.embedded;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import jp.kofu.issuer.contract.IssuerAdapterContractTest;
import jp.kofu.issuer.contract.SeededMunicipality;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.pki.TrustWorld;
import jp.kofu.storage.Databases;

/**
 * The embedded adapter keeps the adapter contract on a real PostgreSQL server, configured the way
 * the gateway's configuration does it: adapter settings database-url, database-user and
 * database-password-file.
 */
class EmbeddedAdapterOnPostgresContractTest extends IssuerAdapterContractTest {
  private SeededMunicipality seeded;

  @Override
  protected Fixture createFixture() throws Exception {
    TrustWorld pki = TrustWorld.generate();
    seeded = SeededMunicipality.seed(Databases.Kind.POSTGRESQL, pki, List.of("131016"), 80, jp.kofu.testing.FakeClock.inServiceHours());
    HikariDataSource ds = (HikariDataSource) seeded.database.dataSource();
    Path password = Files.writeString(seeded.directory.resolve("registry-password"), ds.getPassword() + "\n");
    IssuerAdapter adapter =
        new EmbeddedIssuerAdapterFactory()
            .create(
                new AdapterContext(
                    Map.of(
                        "database-url", ds.getJdbcUrl(),
                        "database-user", ds.getUsername(),
                        "database-password-file", password.toString(),
                        "catalog", seeded.catalogDirectory().toString(),
                        "municipalities", "131016"),
                    seeded.directory,
                    Clock.systemUTC(),
                    Map.of(TrustWorld.class, pki)));
    return seeded.fixture(adapter, "131016");
  }

  @Override
  protected void releaseFixture() {
    if (seeded != null) {
      seeded.close();
    }
  }
}

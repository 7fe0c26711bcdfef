package jp.kofu.issuer.remote;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.kofu.issuer.contract.IssuerAdapterContractTest;
import jp.kofu.issuer.contract.SeededMunicipality;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.pki.TrustWorld;
import jp.kofu.storage.Databases;

/**
 * The remote adapter keeps the adapter contract: over a real loopback socket with mutual TLS, in
 * front of an issuer server running the embedded adapter. Refusals, documents, concurrency and
 * interruption all cross the network.
 */
class RemoteAdapterContractTest extends IssuerAdapterContractTest {
  private SeededMunicipality seeded;
  private IssuerServer server;

  @Override
  protected Fixture createFixture() throws Exception {
    TrustWorld pki = TrustWorld.generate();
    seeded = SeededMunicipality.seed(Databases.Kind.H2, pki, List.of("131016", "141020"), 60, jp.kofu.testing.FakeClock.inServiceHours());
    server =
        IssuerServer.builder()
            .certificate(pki.issuerServer())
            .clientAnchors(List.of(pki.serviceCa().certificate()))
            .adapter(seeded.adapter(Set.copyOf(seeded.codes)))
            .start();
    IssuerAdapter remote =
        new RemoteIssuerAdapterFactory()
            .create(
                new AdapterContext(
                    Map.of("target", "127.0.0.1:" + server.port()),
                    Files.createTempDirectory("kofu-remote-"),
                    Clock.systemUTC(),
                    Map.of(TrustWorld.class, pki)));
    return seeded.fixture(remote, "141020");
  }

  @Override
  protected void releaseFixture() {
    if (server != null) {
      server.close();
    }
    if (seeded != null) {
      seeded.close();
    }
  }
}

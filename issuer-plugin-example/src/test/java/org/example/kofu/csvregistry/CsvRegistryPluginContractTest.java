package org.example.kofu.csvregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import jp.kofu.gateway.routing.AdapterFactories;
import jp.kofu.issuer.contract.IssuerAdapterContractTest;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.pki.TrustWorld;
import org.junit.jupiter.api.Test;

/**
 * The example plugin passes the adapter contract, loaded as the gateway loads it: from its jar in a
 * plugins directory, through ServiceLoader, in a class loader of its own.
 */
class CsvRegistryPluginContractTest extends IssuerAdapterContractTest {
  private AdapterFactories factories;
  private IssuerAdapter adapter;

  @Override
  protected Fixture createFixture() throws Exception {
    Path root = Files.createTempDirectory("kofu-plugin-");
    TrustWorld pki = TrustWorld.generate();
    PluginDirectory.Municipality m = PluginDirectory.write(root.resolve("sapporo"), pki);
    factories = AdapterFactories.discover(getClass().getClassLoader(), PluginDirectory.pluginsWithTheExampleJar(root));
    adapter =
        factories.create(
            CsvRegistryAdapterFactory.KIND,
            new AdapterContext(Map.of("directory", m.directory().toString()), root, Clock.systemUTC(), Map.of()));
    return new Fixture(adapter, PluginDirectory.CODE, m.holders(), m.refused(), m.anchors(), jp.kofu.testing.FakeClock.lastBusinessMorning());
  }

  @Override
  protected void releaseFixture() {
    if (factories != null) {
      factories.close();
    }
  }

  @Test
  void theAdapterComesFromThePluginJarNotFromTheClassPath() {
    assertThat(adapter.getClass().getClassLoader()).isInstanceOf(URLClassLoader.class);
    assertThat(((URLClassLoader) adapter.getClass().getClassLoader()).getName()).isEqualTo("kofu-plugin:kofu-issuer-plugin-example.jar");
    assertThat(factories.kinds().get(CsvRegistryAdapterFactory.KIND).origin()).endsWith("kofu-issuer-plugin-example.jar");
    assertThatThrownBy(() -> Class.forName("org.example.kofu.csvregistry.CsvRegistryAdapter", false, getClass().getClassLoader()))
        .isInstanceOf(ClassNotFoundException.class);
  }
}

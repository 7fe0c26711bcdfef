package jp.kofu.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.IssuerAdapterFactory;
import jp.kofu.issuer.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery refuses, when it loads, what it could not run later: other SPI versions, kinds taken twice. */
class AdapterFactoriesTest {
  @TempDir Path dir;

  public static final class FromTheFuture implements IssuerAdapterFactory {
    @Override
    public String kind() {
      return "future";
    }

    @Override
    public String spiVersion() {
      return "2.0";
    }

    @Override
    public IssuerAdapter create(AdapterContext context) {
      throw new AssertionError();
    }
  }

  public static final class NewerMinor implements IssuerAdapterFactory {
    @Override
    public String kind() {
      return "newer";
    }

    @Override
    public String spiVersion() {
      return SpiVersion.CURRENT.major() + "." + (SpiVersion.CURRENT.minor() + 1);
    }

    @Override
    public IssuerAdapter create(AdapterContext context) {
      throw new AssertionError();
    }
  }

  /** A plugin built against SPI 1.0, before issue(CardIssueCommand) and the document facade. */
  public static final class FromSpi10 implements IssuerAdapterFactory {
    @Override
    public String kind() {
      return "old";
    }

    @Override
    public String spiVersion() {
      return "1.0";
    }

    @Override
    public IssuerAdapter create(AdapterContext context) {
      throw new AssertionError();
    }
  }

  public static final class AnotherEmbedded implements IssuerAdapterFactory {
    @Override
    public String kind() {
      return "embedded";
    }

    @Override
    public IssuerAdapter create(AdapterContext context) {
      throw new AssertionError();
    }
  }

  @Test
  void theBuiltInKindsAreFoundOnTheClassPath() {
    AdapterFactories f = AdapterFactories.discover(getClass().getClassLoader());
    assertThat(f.kinds()).containsKeys("embedded", "remote");
    assertThat(f.kinds().get("embedded").origin()).isEqualTo("class path");
  }

  @Test
  void aFactoryOfAnotherMajorVersionIsRefused() throws Exception {
    assertThatThrownBy(() -> AdapterFactories.discover(loaderListing(FromTheFuture.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'future'")
        .hasMessageContaining("implements SPI 2.0");
  }

  @Test
  void aFactoryOfANewerMinorVersionIsRefused() throws Exception {
    assertThatThrownBy(() -> AdapterFactories.discover(loaderListing(NewerMinor.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'newer'");
  }

  @Test
  void aFactoryOfSpi10IsHosted() throws Exception {
    AdapterFactories f = AdapterFactories.discover(loaderListing(FromSpi10.class));
    assertThat(f.kinds()).containsKey("old");
    assertThat(SpiVersion.CURRENT).isEqualTo(SpiVersion.parse("1.2"));
  }

  /**
   * The public API enforced where plugins are loaded: through the plugin's parent, of kofu only
   * jp.kofu.issuer.spi.. is visible (the same classes as the gateway's), nothing internal, and none
   * of kofu's own ServiceLoader registrations.
   */
  @Test
  void aPluginSeesKofusPublicApiAndNothingElseOfKofu() throws Exception {
    try (URLClassLoader plugin = new URLClassLoader(new URL[0], new AdapterFactories.PublicApiOnly(getClass().getClassLoader()))) {
      assertThat(Class.forName("jp.kofu.issuer.spi.IssuerAdapter", false, plugin)).isSameAs(IssuerAdapter.class);
      assertThat(Class.forName("jp.kofu.issuer.spi.document.CertificateDocuments", false, plugin))
          .isSameAs(jp.kofu.issuer.spi.document.CertificateDocuments.class);
      assertThat(Class.forName("java.util.List", false, plugin)).isSameAs(java.util.List.class);
      for (String internal : java.util.List.of("jp.kofu.issuer.document.PadesSigner", "jp.kofu.issuer.registry.ResidentRegistry", "jp.kofu.gateway.Gateway", "jp.kofu.pki.HeldCertificate")) {
        assertThatThrownBy(() -> Class.forName(internal, false, plugin)).as(internal).isInstanceOf(ClassNotFoundException.class);
      }
      assertThat(plugin.getResource("jp/kofu/issuer/document/PadesSigner.class")).isNull();
      assertThat(plugin.getResources("META-INF/services/" + IssuerAdapterFactory.class.getName()).hasMoreElements()).isFalse();
    }
  }

  @Test
  void aKindProvidedTwiceIsRefused() throws Exception {
    assertThatThrownBy(() -> AdapterFactories.discover(loaderListing(AnotherEmbedded.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'embedded' is provided twice");
  }

  @Test
  void anUnknownKindNamesTheKindsFound() {
    AdapterFactories f = AdapterFactories.discover(getClass().getClassLoader(), dir.resolve("no-plugins-here"));
    assertThatThrownBy(() -> f.create("sftp", null)).hasMessageContaining("'sftp'").hasMessageContaining("embedded");
  }

  @Test
  void versionsParseAndCompare() {
    assertThat(SpiVersion.parse("1.0").canHost(SpiVersion.parse("1.0"))).isTrue();
    assertThat(SpiVersion.parse("1.3").canHost(SpiVersion.parse("1.0"))).isTrue();
    assertThat(SpiVersion.parse("1.0").canHost(SpiVersion.parse("1.1"))).isFalse();
    assertThat(SpiVersion.parse("2.0").canHost(SpiVersion.parse("1.0"))).isFalse();
    assertThatThrownBy(() -> SpiVersion.parse("1")).hasMessageContaining("expected: MAJOR.MINOR");
  }

  /** A loader whose META-INF/services lists {@code factory} beside what the class path lists. */
  private URLClassLoader loaderListing(Class<? extends IssuerAdapterFactory> factory) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(IssuerAdapterFactory.class.getName()), factory.getName() + "\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }
}

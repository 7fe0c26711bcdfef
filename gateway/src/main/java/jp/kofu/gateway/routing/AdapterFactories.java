package jp.kofu.gateway.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.IssuerAdapterFactory;

/** Finds issuer-adapter factories with {@link ServiceLoader} and creates adapters by kind. */
public final class AdapterFactories {
  private final List<IssuerAdapterFactory> factories;

  private AdapterFactories(List<IssuerAdapterFactory> factories) {
    this.factories = List.copyOf(factories);
  }

  /** The factories visible to {@code loader}. */
  public static AdapterFactories discover(ClassLoader loader) {
    List<IssuerAdapterFactory> found = new ArrayList<>();
    ServiceLoader.load(IssuerAdapterFactory.class, loader).forEach(found::add);
    return new AdapterFactories(found);
  }

  public List<IssuerAdapterFactory> factories() {
    return factories;
  }

  public IssuerAdapter create(String kind, AdapterContext context) {
    for (IssuerAdapterFactory f : factories) {
      if (f.kind().equals(kind)) {
        String major = f.spiVersion().split("\\.")[0];
        if (!major.equals(IssuerAdapterFactory.SPI_VERSION.split("\\.")[0])) {
          throw new IllegalArgumentException(
              "adapter kind '" + kind + "' implements SPI " + f.spiVersion() + " (expected: " + IssuerAdapterFactory.SPI_VERSION + ")");
        }
        return f.create(context);
      }
    }
    throw new IllegalArgumentException(
        "no issuer adapter of kind '" + kind + "' (found: " + factories.stream().map(IssuerAdapterFactory::kind).toList() + ")");
  }
}

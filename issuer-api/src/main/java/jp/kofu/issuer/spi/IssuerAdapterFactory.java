package jp.kofu.issuer.spi;

/**
 * Creates adapters of one kind: the class a plugin registers in {@code
 * META-INF/services/jp.kofu.issuer.spi.IssuerAdapterFactory} of its jar, found by {@link
 * java.util.ServiceLoader} on the gateway's class path or in its plugins directory.
 *
 * <p>A factory needs a public no-argument constructor and must be cheap to construct: the gateway
 * instantiates every factory it finds, also those it does not use. All work happens in {@link
 * #create}.
 */
public interface IssuerAdapterFactory {
  /**
   * The SPI version this package defines ({@link SpiVersion}). A plugin returns the version it was
   * compiled against from {@link #spiVersion()}; the default does exactly that, because the
   * constant is inlined into the plugin's class file at compile time.
   */
  String SPI_VERSION = "1.2";

  /** The kind named in the gateway's configuration, e.g. "embedded", "remote": lowercase, unique. */
  String kind();

  /**
   * The SPI version the factory was built against; the gateway refuses a factory it cannot host
   * ({@link SpiVersion#canHost}) when it starts.
   */
  default String spiVersion() {
    return SPI_VERSION;
  }

  /**
   * The settings this kind understands. The gateway refuses, at start, an adapter configured with
   * any other (a misspelt {@code municipalitis} would otherwise be ignored). Empty: the factory
   * does not say, and every setting is passed through unchecked.
   */
  default java.util.Set<String> settingNames() {
    return java.util.Set.of();
  }

  /**
   * Creates an adapter from its configuration. Called once per configured adapter, at start-up,
   * before the gateway accepts calls.
   *
   * @throws IllegalArgumentException when a setting is missing or invalid; the message names the
   *     setting and what was expected, never a secret
   */
  IssuerAdapter create(AdapterContext context);
}

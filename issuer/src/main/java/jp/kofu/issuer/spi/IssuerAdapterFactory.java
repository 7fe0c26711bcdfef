package jp.kofu.issuer.spi;

/**
 * Creates adapters of one kind. Registered in {@code
 * META-INF/services/jp.kofu.issuer.spi.IssuerAdapterFactory} of the plugin's jar.
 */
public interface IssuerAdapterFactory {
  /** The SPI version this package defines. A factory must report the same major version. */
  String SPI_VERSION = "1.0";

  /** The kind named in the gateway's configuration, e.g. "embedded", "remote". */
  String kind();

  /** The SPI version the factory was built against; the gateway refuses another major version. */
  default String spiVersion() {
    return SPI_VERSION;
  }

  /** Creates an adapter from its configuration. Throws IllegalArgumentException on bad config. */
  IssuerAdapter create(AdapterContext context);
}

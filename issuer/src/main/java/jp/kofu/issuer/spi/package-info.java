/**
 * The issuer-adapter SPI, version {@value jp.kofu.issuer.spi.IssuerAdapterFactory#SPI_VERSION}:
 * what a municipality (or its vendor) implements so that the gateway can issue its certificates.
 *
 * <p>An adapter serves one or more municipalities. The gateway asks it to resolve a card to a
 * resident ({@link jp.kofu.issuer.spi.IssuerAdapter#resolveCard}), to list what that resident can
 * get ({@link jp.kofu.issuer.spi.IssuerAdapter#offerings}), and to issue a signed document
 * ({@link jp.kofu.issuer.spi.IssuerAdapter#issue}). Adapters are found with {@link
 * java.util.ServiceLoader} through {@link jp.kofu.issuer.spi.IssuerAdapterFactory}. This package
 * is everything a plugin may depend on; the rest of kofu is internal. See docs/PLUGINS.md.
 */
package jp.kofu.issuer.spi;

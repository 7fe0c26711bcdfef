/**
 * The issuer-adapter SPI, version {@value jp.kofu.issuer.spi.IssuerAdapterFactory#SPI_VERSION}:
 * what a municipality (or its vendor) implements so that the gateway can issue its certificates.
 *
 * <p>An adapter ({@link jp.kofu.issuer.spi.IssuerAdapter}) serves one or more municipalities. The
 * gateway asks it to resolve a card to a resident ({@link
 * jp.kofu.issuer.spi.IssuerAdapter#resolveCard}), to list what that resident can get ({@link
 * jp.kofu.issuer.spi.IssuerAdapter#offerings}), and to issue a signed document for the card's holder
 * in one call ({@link jp.kofu.issuer.spi.IssuerAdapter#issue(jp.kofu.issuer.spi.CardIssueCommand)},
 * SPI 1.1; adapters of SPI 1.0 get it by default from resolveCard and {@link
 * jp.kofu.issuer.spi.IssuerAdapter#issue(jp.kofu.issuer.spi.IssueCommand)}). A municipality's rule answers with an {@link
 * jp.kofu.issuer.spi.IssuanceRefusedException} and its {@link jp.kofu.issuer.spi.RefusalReason};
 * anything else thrown means the municipality is failing.
 *
 * <p>Adapters are created by an {@link jp.kofu.issuer.spi.IssuerAdapterFactory}, found with {@link
 * java.util.ServiceLoader} on the gateway's class path and in the jars of its plugins directory, and
 * configured by their kind and settings in the gateway's configuration ({@link
 * jp.kofu.issuer.spi.AdapterContext}). Versions are negotiated with {@link
 * jp.kofu.issuer.spi.SpiVersion}.
 *
 * <p>Every value here is immutable and null-hostile unless its Javadoc says otherwise, and none
 * carries personal data in {@code toString} that could end in a log line.
 *
 * <p>This package and {@link jp.kofu.issuer.spi.document} (kofu's layouts and signing, behind a
 * facade) are kofu's public API, the artifact {@code jp.kofu:kofu-issuer-api}, which depends on
 * nothing but the JDK. A plugin compiles against it alone, as a {@code provided} dependency. Its
 * stability promise: within a major version, only additions (see {@link
 * jp.kofu.issuer.spi.SpiVersion}). The rest of kofu is internal, and the gateway's plugin class
 * loader does not let a plugin see it. See docs/PLUGINS.md.
 */
package jp.kofu.issuer.spi;

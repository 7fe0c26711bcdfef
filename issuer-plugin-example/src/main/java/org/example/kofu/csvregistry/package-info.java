/**
 * An example of a third-party issuer adapter, written the way a municipality's vendor would: only
 * kofu's public API, the artifact kofu-issuer-api ({@code jp.kofu.issuer.spi} and its document facade
 * {@code jp.kofu.issuer.spi.document}), compiled against as a {@code provided} dependency and nothing
 * else of kofu. The municipality's registry is a CSV export that is read afresh at every call, so a
 * change (a death, a move-out) is honoured at once. It implements SPI 1.1 (one call per issuance,
 * {@code issue(CardIssueCommand)}) and the 1.0 form for hosts that still call it.
 *
 * <p>Packaged as a plain jar with {@code META-INF/services/jp.kofu.issuer.spi.IssuerAdapterFactory}
 * and dropped into the gateway's plugins directory; configured as kind {@value
 * org.example.kofu.csvregistry.CsvRegistryAdapterFactory#KIND}. See docs/PLUGINS.md.
 */
package org.example.kofu.csvregistry;

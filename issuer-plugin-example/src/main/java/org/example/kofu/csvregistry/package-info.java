/**
 * An example of a third-party issuer adapter, written the way a municipality's vendor would: only
 * kofu's public SPI ({@code jp.kofu.issuer.spi}), its document API ({@code jp.kofu.issuer.document})
 * and {@code jp.kofu.pki.HeldCertificate} are used. The municipality's registry is a CSV export that
 * is read afresh at every call, so a change (a death, a move-out) is honoured at once.
 *
 * <p>Packaged as a plain jar with {@code META-INF/services/jp.kofu.issuer.spi.IssuerAdapterFactory}
 * and dropped into the gateway's plugins directory; configured as kind {@value
 * org.example.kofu.csvregistry.CsvRegistryAdapterFactory#KIND}. See docs/PLUGINS.md.
 */
package org.example.kofu.csvregistry;

/**
 * The document facade of the public API (SPI 1.1): what a plugin needs to hand the gateway a
 * certificate laid out and signed the way kofu's own adapters do, without depending on kofu's
 * rendering and signing code. Get the implementation from {@link
 * jp.kofu.issuer.spi.AdapterContext#documents()}.
 */
package jp.kofu.issuer.spi.document;

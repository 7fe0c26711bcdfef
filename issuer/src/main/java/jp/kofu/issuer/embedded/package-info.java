/**
 * The embedded issuer adapter: a municipality's issuance server inside kofu, reading the
 * resident registry live, applying the municipality's rules and catalog, and producing signed
 * certificates.
 */
package jp.kofu.issuer.embedded;

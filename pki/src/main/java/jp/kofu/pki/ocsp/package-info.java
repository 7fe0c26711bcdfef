/**
 * The revocation service of the development trust world: an OCSP responder (RFC 6960) for the
 * card and smartphone CAs, and every CA's CRL over HTTP, both signed from the world's current
 * revocation state. In production this is J-LIS's service for registered verifiers.
 */
package jp.kofu.pki.ocsp;

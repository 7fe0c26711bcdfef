/**
 * Is a certificate still good? Cards by CRL or OCSP (configurable), store copiers by the terminal
 * CA's CRL. The gateway never acts on revocation information older than {@code max-staleness}
 * (measured from when its issuer signed it): past that, it fails closed with
 * REVOCATION_UNAVAILABLE rather than admit a card that may have been revoked.
 */
package jp.kofu.gateway.revocation;

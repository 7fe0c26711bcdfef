package jp.kofu.gateway.auth;

import java.security.cert.X509Certificate;
import jp.kofu.issuer.spi.CardRef;

/** A credential that proved itself: its reference and certificate, and the CA that issued it. */
public record VerifiedCard(CardRef ref, X509Certificate certificate, X509Certificate issuer) {}

package jp.kofu.gateway.auth;

import java.time.Instant;
import jp.kofu.issuer.spi.CardRef;

/**
 * What an authenticated session token says: which copier, which card, which address
 * municipality, until when.
 */
public record SessionClaims(
    String sessionId, TerminalIdentity terminal, CardRef card, String addressMunicipality, Instant expiresAt) {}

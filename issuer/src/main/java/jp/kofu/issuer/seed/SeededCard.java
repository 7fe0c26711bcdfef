package jp.kofu.issuer.seed;

import jp.kofu.issuer.spi.CardRef;

/**
 * A card the seed gave a resident: its serial (the certificate itself is made on demand by the
 * development card CA, with this serial) and its PIN, which only the card holder's side knows.
 */
public record SeededCard(long residentId, String municipalityCode, CardRef card, String pin) {}

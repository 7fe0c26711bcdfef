package jp.kofu.issuer.registry;

import java.time.LocalDate;
import jp.kofu.issuer.spi.CardRef;

/** A card known to this issuer, and whose it is. */
public record CardRecord(CardRef card, long residentId, String municipalityCode, LocalDate usableFrom) {}

package jp.kofu.gateway.routing;

import java.time.Instant;
import java.util.Optional;
import jp.kofu.issuer.spi.CardRef;

/**
 * Card → address municipality: what the center learns when a municipality issues a card, moves a
 * resident in, or resets a PIN (a nightly batch, so a card works from the next day). The gateway
 * needs it to know whom to ask; the municipality then maps the card to a resident itself.
 */
public interface CardDirectory {
  /** The 6-digit code of the card holder's address municipality, if the card is usable at {@code at}. */
  Optional<String> addressMunicipality(CardRef card, Instant at);
}

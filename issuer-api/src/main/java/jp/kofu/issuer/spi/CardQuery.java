package jp.kofu.issuer.spi;

import java.time.Instant;
import java.util.Objects;

/** Which resident does this card belong to, in this municipality, at this moment? */
public record CardQuery(String municipalityCode, CardRef card, Relation relation, Instant at) {
  public CardQuery {
    Objects.requireNonNull(municipalityCode, "municipalityCode");
    Objects.requireNonNull(card, "card");
    Objects.requireNonNull(relation, "relation");
    Objects.requireNonNull(at, "at");
  }
}

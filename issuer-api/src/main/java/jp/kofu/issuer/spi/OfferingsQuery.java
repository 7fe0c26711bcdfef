package jp.kofu.issuer.spi;

import java.time.Instant;
import java.util.Objects;

public record OfferingsQuery(String municipalityCode, String residentHandle, Relation relation, Instant at) {
  public OfferingsQuery {
    Objects.requireNonNull(municipalityCode, "municipalityCode");
    Objects.requireNonNull(residentHandle, "residentHandle");
    Objects.requireNonNull(relation, "relation");
    Objects.requireNonNull(at, "at");
  }
}

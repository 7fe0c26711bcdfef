package jp.kofu.issuer.spi;

import java.util.Objects;

/**
 * The adapter's answer to a card: an opaque handle for the resident (never a resident code or a
 * My Number) and, at the address municipality, the family-register municipality when it is
 * another one.
 *
 * @param residentHandle opaque and stable within the municipality
 * @param familyRegisterMunicipalityCode the 本籍地's code, or null
 */
public record ResidentRef(String residentHandle, String familyRegisterMunicipalityCode) {
  public ResidentRef {
    Objects.requireNonNull(residentHandle, "residentHandle");
  }
}

package jp.kofu.issuer.spi;

import java.util.List;

public record MunicipalityOfferings(String municipalityName, List<Offering> offerings) {
  public MunicipalityOfferings {
    offerings = List.copyOf(offerings);
  }
}

package jp.kofu.issuer.document;

import java.util.Objects;

/**
 * Who certifies: the municipality as printed on its certificates.
 *
 * @param code 6-digit local-government code
 * @param prefecture e.g. 東京都
 * @param name e.g. 千代田区 (for a designated-city ward: 横浜市中区)
 * @param mayorTitle e.g. 千代田区長
 * @param mayorName e.g. 山田 太郎
 */
public record MunicipalityIdentity(String code, String prefecture, String name, String mayorTitle, String mayorName) {
  public MunicipalityIdentity {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(prefecture, "prefecture");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mayorTitle, "mayorTitle");
    Objects.requireNonNull(mayorName, "mayorName");
  }

  /** e.g. 東京都千代田区. */
  public String fullName() {
    return prefecture + name;
  }
}

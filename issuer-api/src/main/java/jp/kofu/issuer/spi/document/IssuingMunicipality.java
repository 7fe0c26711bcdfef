package jp.kofu.issuer.spi.document;

import java.util.Objects;

/**
 * The municipality printed on a certificate, e.g. 東京都 千代田区, 区長 山田太郎.
 *
 * @param code the 6-digit local-government code the document is signed for
 * @param prefecture e.g. 東京都
 * @param name e.g. 千代田区
 * @param mayorTitle e.g. 区長, 市長
 * @param mayorName the mayor's name, printed beside the official seal
 */
public record IssuingMunicipality(String code, String prefecture, String name, String mayorTitle, String mayorName) {
  public IssuingMunicipality {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(prefecture, "prefecture");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mayorTitle, "mayorTitle");
    Objects.requireNonNull(mayorName, "mayorName");
    if (!code.matches("[0-9]{6}")) {
      throw new IllegalArgumentException("code: '" + code + "' (expected: 6 digits)");
    }
  }

  /** e.g. 東京都千代田区. */
  public String fullName() {
    return prefecture + name;
  }
}

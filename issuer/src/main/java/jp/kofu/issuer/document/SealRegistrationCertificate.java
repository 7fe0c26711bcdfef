package jp.kofu.issuer.document;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Objects;
import jp.kofu.issuer.spi.CertificateType;

/**
 * The content of a 印鑑登録証明書 (seal-registration certificate): the registered seal impression
 * (印影) as an image, and who registered it.
 *
 * @param registrationNumber 登録番号, the number of the registration (not of the resident)
 * @param name 氏名 as registered
 * @param nameKana its reading, or null when the municipality prints none
 * @param sex 性別, or null when the municipality prints none (many no longer do)
 * @param address 住所
 * @param impressionPng the registered impression, a PNG image (see {@link SealImpressions})
 * @param impressionSizeMm the impression's printed size in millimetres (its diameter or side):
 *     a registered seal must be printed at its true size, 8 to 25 mm
 */
public record SealRegistrationCertificate(
    MunicipalityIdentity municipality,
    String registrationNumber,
    String name,
    String nameKana,
    LocalDate birthDate,
    Sex sex,
    String address,
    byte[] impressionPng,
    double impressionSizeMm)
    implements CertificateContent {
  /** The smallest and largest impression most municipalities register (their 印鑑条例). */
  public static final double MIN_SIZE_MM = 8;

  public static final double MAX_SIZE_MM = 25;

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  public SealRegistrationCertificate {
    Objects.requireNonNull(municipality, "municipality");
    Objects.requireNonNull(registrationNumber, "registrationNumber");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(birthDate, "birthDate");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(impressionPng, "impressionPng");
    if (impressionPng.length < PNG_SIGNATURE.length
        || !Arrays.equals(impressionPng, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)) {
      throw new IllegalArgumentException("impressionPng: not a PNG image");
    }
    if (!(impressionSizeMm >= MIN_SIZE_MM && impressionSizeMm <= MAX_SIZE_MM)) {
      throw new IllegalArgumentException(
          "impressionSizeMm: " + impressionSizeMm + " (expected: " + MIN_SIZE_MM + ".." + MAX_SIZE_MM + ")");
    }
    impressionPng = impressionPng.clone();
  }

  @Override
  public byte[] impressionPng() {
    return impressionPng.clone();
  }

  @Override
  public CertificateType type() {
    return CertificateType.SEAL_REGISTRATION;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealRegistrationCertificate c
        && municipality.equals(c.municipality)
        && registrationNumber.equals(c.registrationNumber)
        && name.equals(c.name)
        && Objects.equals(nameKana, c.nameKana)
        && birthDate.equals(c.birthDate)
        && sex == c.sex
        && address.equals(c.address)
        && Arrays.equals(impressionPng, c.impressionPng)
        && Double.compare(impressionSizeMm, c.impressionSizeMm) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(municipality, registrationNumber, name, birthDate, address, Arrays.hashCode(impressionPng));
  }

  @Override
  public String toString() {
    return "SealRegistrationCertificate[municipality=" + municipality.code() + ", personal data withheld]";
  }
}

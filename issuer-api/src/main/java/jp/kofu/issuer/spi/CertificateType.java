package jp.kofu.issuer.spi;

/** The certificates a convenience store issues (DOMAIN.md §4), with their Japanese titles. */
public enum CertificateType {
  /** 住民票の写し. */
  RESIDENCE("住民票の写し", "juminhyo"),
  /** 住民票記載事項証明書. */
  RESIDENCE_ITEMS("住民票記載事項証明書", "juminhyo-kisai"),
  /** 印鑑登録証明書. */
  SEAL_REGISTRATION("印鑑登録証明書", "inkan"),
  /** 戸籍全部事項証明書. */
  FAMILY_REGISTER_FULL("戸籍全部事項証明書", "koseki-zenbu"),
  /** 戸籍個人事項証明書. */
  FAMILY_REGISTER_INDIVIDUAL("戸籍個人事項証明書", "koseki-kojin"),
  /** 戸籍の附票の写し. */
  FAMILY_REGISTER_ANNEX("戸籍の附票の写し", "fuhyo"),
  /** 所得・課税証明書. */
  INCOME_TAX("所得・課税証明書", "shotoku");

  private final String title;
  private final String slug;

  CertificateType(String title, String slug) {
    this.title = title;
    this.slug = slug;
  }

  /** The title printed on the certificate. */
  public String title() {
    return title;
  }

  /** The short name used on the command line and in file names, e.g. "juminhyo". */
  public String slug() {
    return slug;
  }

  /** Family-register certificates are issued by the 本籍地, the others by the address municipality. */
  public boolean isFamilyRegister() {
    return this == FAMILY_REGISTER_FULL || this == FAMILY_REGISTER_INDIVIDUAL || this == FAMILY_REGISTER_ANNEX;
  }

  public static CertificateType fromSlug(String slug) {
    for (CertificateType t : values()) {
      if (t.slug.equals(slug) || t.name().equalsIgnoreCase(slug)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "certificate type: '" + slug + "' (expected: juminhyo, juminhyo-kisai, inkan, koseki-zenbu, koseki-kojin, fuhyo, shotoku)");
  }
}

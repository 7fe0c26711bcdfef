package jp.kofu.issuer.seed;

import jp.kofu.issuer.spi.CertificateType;

/**
 * A seeded resident made to show one outcome: the refusal named by {@code reason} (a
 * kofu.type.v1.Reason name as the copier sees it, or the confidential SUPPORT_MEASURE), or, with
 * reason {@code ISSUABLE}, a resident who can get every certificate. The demo and the tests find
 * them here instead of searching the population.
 *
 * @param municipalityCode where to ask: the address municipality, or the 本籍地 for a
 *     family-register case that goes through 利用登録
 */
public record Specimen(String reason, long residentId, CertificateType type, String municipalityCode, String note) {
  public static final String CSV_HEADER = "reason,resident_id,certificate_type,municipality_code,note";
  public static final String ISSUABLE = "ISSUABLE";

  public String csv() {
    return reason + "," + residentId + "," + type.name() + "," + municipalityCode + "," + note;
  }

  public static Specimen parse(String line) {
    String[] f = line.split(",", 5);
    return new Specimen(f[0], Long.parseLong(f[1]), CertificateType.valueOf(f[2]), f[3], f.length > 4 ? f[4] : "");
  }
}

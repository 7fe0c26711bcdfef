package jp.kofu.issuer.reference;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every local government of Japan (47 prefectures, 1,747 municipalities, 171 designated-city
 * wards), from the bundled {@code local-government-codes.csv}. Loaded once; immutable.
 */
public final class LocalGovernmentCodes {
  private static final class Holder {
    static final LocalGovernmentCodes INSTANCE = load();
  }

  private final Map<String, LocalGovernment> byCode;

  private LocalGovernmentCodes(Map<String, LocalGovernment> byCode) {
    this.byCode = Collections.unmodifiableMap(byCode);
  }

  public static LocalGovernmentCodes bundled() {
    return Holder.INSTANCE;
  }

  private static LocalGovernmentCodes load() {
    Map<String, LocalGovernment> map = new LinkedHashMap<>(4096);
    Csv.read(
        "local-government-codes.csv",
        8,
        f -> {
          String code = LocalGovernmentCode.require(f[0]);
          LocalGovernment.Type type = LocalGovernment.Type.valueOf(f[1].toUpperCase(java.util.Locale.ROOT));
          map.put(code, new LocalGovernment(code, type, f[3], f[4], f[5].isEmpty() ? null : f[5], f[6], f[7]));
        });
    return new LocalGovernmentCodes(map);
  }

  public Optional<LocalGovernment> find(String code) {
    return Optional.ofNullable(byCode.get(code));
  }

  public Collection<LocalGovernment> all() {
    return byCode.values();
  }

  /** Municipalities and wards: the units that keep resident records and issue certificates. */
  public boolean isIssuingUnit(String code) {
    LocalGovernment g = byCode.get(code);
    return g != null && g.type() != LocalGovernment.Type.PREFECTURE;
  }
}

package jp.kofu.issuer.reference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Town areas (町域) with postal codes by 5-digit city code, from the bundled {@code towns.csv}. */
public final class Towns {
  /** A town area: its postal code (7 digits) and name, e.g. 丸の内. */
  public record Town(String postalCode, String name) {}

  private static final class Holder {
    static final Towns INSTANCE = load();
  }

  private final Map<String, List<Town>> byCity;

  private Towns(Map<String, List<Town>> byCity) {
    this.byCity = byCity;
  }

  public static Towns bundled() {
    return Holder.INSTANCE;
  }

  private static Towns load() {
    Map<String, List<Town>> map = new HashMap<>(4096);
    Csv.read("towns.csv", 3, f -> map.computeIfAbsent(f[1], k -> new ArrayList<>()).add(new Town(f[0], f[2])));
    map.replaceAll((k, v) -> List.copyOf(v));
    return new Towns(map);
  }

  /** The towns of a municipality or ward (its 5-digit code); empty if none are listed. */
  public List<Town> of(String code5) {
    return byCity.getOrDefault(code5, List.of());
  }
}

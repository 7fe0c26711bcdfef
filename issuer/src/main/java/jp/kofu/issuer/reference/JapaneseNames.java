package jp.kofu.issuer.reference;

import java.util.ArrayList;
import java.util.List;

/** Surnames and given names with readings, from the bundled {@code names.csv} (test data). */
public final class JapaneseNames {
  /** A name and its reading in hiragana and katakana. */
  public record Name(String kanji, String hiragana, String katakana) {}

  private static final class Holder {
    static final JapaneseNames INSTANCE = load();
  }

  private final List<Name> surnames;
  private final List<Name> male;
  private final List<Name> female;

  private JapaneseNames(List<Name> surnames, List<Name> male, List<Name> female) {
    this.surnames = List.copyOf(surnames);
    this.male = List.copyOf(male);
    this.female = List.copyOf(female);
  }

  public static JapaneseNames bundled() {
    return Holder.INSTANCE;
  }

  private static JapaneseNames load() {
    List<Name> s = new ArrayList<>();
    List<Name> m = new ArrayList<>();
    List<Name> f = new ArrayList<>();
    Csv.read(
        "names.csv",
        5,
        r -> {
          Name n = new Name(r[1], r[2], r[3]);
          switch (r[0]) {
            case "surname" -> s.add(n);
            case "given_male" -> m.add(n);
            case "given_female" -> f.add(n);
            default -> throw new IllegalStateException("names.csv: unknown kind " + r[0]);
          }
        });
    return new JapaneseNames(s, m, f);
  }

  public List<Name> surnames() {
    return surnames;
  }

  public List<Name> maleGivenNames() {
    return male;
  }

  public List<Name> femaleGivenNames() {
    return female;
  }
}

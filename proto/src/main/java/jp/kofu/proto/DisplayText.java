package jp.kofu.proto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.kofu.proto.type.v1.Reason;

/**
 * What a copier shows the resident for each {@link Reason}, in Japanese (ja-JP) and English (en).
 * The texts are read from the contract itself: each value of {@code kofu/type/v1/reason.proto}
 * carries the comment lines {@code ja-JP: ...} and {@code en: ...}, so the proto and what the
 * gateway sends in {@code google.rpc.LocalizedMessage} cannot disagree.
 */
public final class DisplayText {
  /** The request metadata key a copier sets to choose the language, as in HTTP. */
  public static final String LANGUAGE_HEADER = "accept-language";

  public static final String JAPANESE = "ja-JP";
  public static final String ENGLISH = "en";

  private static final Pattern VALUE = Pattern.compile("^\\s*([A-Z][A-Z0-9_]*) = \\d+;");
  private static final Pattern TEXT = Pattern.compile("^\\s*// (ja-JP|en): (.+)$");
  private static final Map<Reason, Map<String, String>> TEXTS = load();

  private DisplayText() {}

  /** The text for {@code reason} in {@code locale} ({@value #JAPANESE} or {@value #ENGLISH}). */
  public static String of(Reason reason, String locale) {
    Map<String, String> texts = TEXTS.get(reason == Reason.UNRECOGNIZED ? Reason.REASON_UNSPECIFIED : reason);
    return texts.get(ENGLISH.equals(locale) ? ENGLISH : JAPANESE);
  }

  /**
   * The locale for an {@code accept-language} value: the highest-weighted language range that is
   * English ({@code en}, {@code en-US}, ...) or Japanese ({@code ja}, {@code ja-JP}) decides;
   * Japanese when the value is absent or names neither.
   */
  public static String locale(String acceptLanguage) {
    if (acceptLanguage == null || acceptLanguage.isBlank()) {
      return JAPANESE;
    }
    record Range(String tag, double q, int order) {}
    List<Range> ranges = new ArrayList<>();
    String[] parts = acceptLanguage.split(",");
    for (int i = 0; i < parts.length; i++) {
      String[] p = parts[i].trim().split(";");
      double q = 1.0;
      for (int j = 1; j < p.length; j++) {
        String param = p[j].trim();
        if (param.startsWith("q=")) {
          try {
            q = Double.parseDouble(param.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      ranges.add(new Range(p[0].trim().toLowerCase(Locale.ROOT), q, i));
    }
    ranges.sort(Comparator.comparingDouble(Range::q).reversed().thenComparingInt(Range::order));
    for (Range r : ranges) {
      if (r.q() <= 0) {
        continue;
      }
      if (r.tag().equals("en") || r.tag().startsWith("en-")) {
        return ENGLISH;
      }
      if (r.tag().equals("ja") || r.tag().startsWith("ja-")) {
        return JAPANESE;
      }
    }
    return JAPANESE;
  }

  private static Map<Reason, Map<String, String>> load() {
    String proto;
    try (InputStream in = DisplayText.class.getResourceAsStream("/kofu/type/v1/reason.proto")) {
      if (in == null) {
        throw new IllegalStateException("kofu/type/v1/reason.proto is not on the classpath (it is packed into kofu-proto)");
      }
      proto = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<Reason, Map<String, String>> texts = new EnumMap<>(Reason.class);
    Map<String, String> pending = new java.util.HashMap<>();
    for (String line : proto.split("\n")) {
      Matcher t = TEXT.matcher(line);
      Matcher v = VALUE.matcher(line);
      if (t.matches()) {
        pending.put(t.group(1), t.group(2).trim());
      } else if (v.find()) {
        Reason reason = Reason.valueOf(v.group(1));
        if (!pending.containsKey(JAPANESE) || !pending.containsKey(ENGLISH)) {
          throw new IllegalStateException("reason.proto: " + reason + " lacks its ja-JP or en display text");
        }
        texts.put(reason, Map.copyOf(pending));
        pending.clear();
      } else if (!line.trim().startsWith("//")) {
        pending.clear();
      }
    }
    for (Reason r : Reason.values()) {
      if (r != Reason.UNRECOGNIZED && !texts.containsKey(r)) {
        throw new IllegalStateException("reason.proto: no display text for " + r);
      }
    }
    return texts;
  }
}

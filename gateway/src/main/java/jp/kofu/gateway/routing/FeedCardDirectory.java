package jp.kofu.gateway.routing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.spi.CardRef;

/**
 * The embedded card directory: fed from CSV files {@code
 * issuer_key_id,serial,municipality_code,usable_from} (the seed tool writes one), held in memory.
 * {@link #load} may be called again to take a newer feed.
 *
 * <p>Kind {@code feed} in the configuration; setting {@code files}: comma-separated feed files,
 * default {@code DATA/issuer/card-directory.csv}. A file that does not exist yet is skipped.
 */
public final class FeedCardDirectory implements CardDirectory {
  private record Entry(String municipalityCode, LocalDate usableFrom) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** {@link CardDirectoryFactory} of kind {@code feed}. */
  public static final class Factory implements CardDirectoryFactory {
    @Override
    public String kind() {
      return "feed";
    }

    @Override
    public CardDirectory create(java.util.Map<String, String> settings, Path dataDirectory) {
      String files = settings.get("files");
      FeedCardDirectory d = new FeedCardDirectory();
      if (files == null || files.isBlank()) {
        Path feed = dataDirectory.resolve("issuer").resolve("card-directory.csv");
        if (Files.exists(feed)) {
          d.load(feed);
        }
        return d;
      }
      for (String f : files.split(",")) {
        Path feed = Path.of(f.strip());
        if (Files.exists(feed)) {
          d.load(feed);
        }
      }
      return d;
    }
  }

  public static FeedCardDirectory fromFile(Path feed) {
    FeedCardDirectory d = new FeedCardDirectory();
    if (Files.exists(feed)) {
      d.load(feed);
    }
    return d;
  }

  /** Adds or replaces the entries of a feed file. */
  public void load(Path feed) {
    try (BufferedReader r = Files.newBufferedReader(feed, StandardCharsets.UTF_8)) {
      String line = r.readLine();
      int n = 1;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",", -1);
        if (f.length != 4) {
          throw new IllegalArgumentException(feed + ":" + n + ": expected issuer_key_id,serial,municipality_code,usable_from");
        }
        put(f[0], f[1], f[2], LocalDate.parse(f[3]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void put(String issuerKeyId, String serial, String municipalityCode, LocalDate usableFrom) {
    entries.put(issuerKeyId + ":" + serial, new Entry(municipalityCode, usableFrom));
  }

  public int size() {
    return entries.size();
  }

  @Override
  public Optional<String> addressMunicipality(CardRef card, Instant at) {
    Entry e = entries.get(card.issuerKeyId() + ":" + card.serial());
    if (e == null || JapanTime.date(at).isBefore(e.usableFrom())) {
      return Optional.empty();
    }
    return Optional.of(e.municipalityCode());
  }
}

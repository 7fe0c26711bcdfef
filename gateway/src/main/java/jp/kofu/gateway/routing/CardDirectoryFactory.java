package jp.kofu.gateway.routing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Creates the gateway's {@link CardDirectory} of one kind, named in the configuration's {@code
 * card-directory.kind}. Found with {@link ServiceLoader} ({@code
 * META-INF/services/jp.kofu.gateway.routing.CardDirectoryFactory}); kofu ships {@code feed}
 * ({@link FeedCardDirectory}).
 */
public interface CardDirectoryFactory {
  /** The kind named in the configuration, e.g. "feed". */
  String kind();

  /**
   * @param settings the directory's settings, as strings
   * @param dataDirectory the gateway's data directory, for defaults
   * @throws IllegalArgumentException when a setting is missing or invalid
   */
  CardDirectory create(Map<String, String> settings, Path dataDirectory);

  /** The directory of {@code kind} visible to {@code loader}. */
  static CardDirectory create(String kind, Map<String, String> settings, Path dataDirectory, ClassLoader loader) {
    List<String> found = new java.util.ArrayList<>();
    for (CardDirectoryFactory f : ServiceLoader.load(CardDirectoryFactory.class, loader)) {
      if (f.kind().equals(kind)) {
        return f.create(settings, dataDirectory);
      }
      found.add(f.kind());
    }
    throw new IllegalArgumentException("card-directory.kind: '" + kind + "' (found: " + found + ")");
  }
}

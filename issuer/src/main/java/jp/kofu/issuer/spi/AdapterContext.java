package jp.kofu.issuer.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the gateway gives a factory: the adapter's own settings (from the gateway's
 * configuration, as strings), a directory for its files, and the clock to use.
 *
 * @param settings the adapter's settings
 * @param dataDirectory where the adapter may keep files
 * @param clock the only clock an adapter may read
 * @param services kofu's own collaborators, by type, for built-in adapters (empty for plugins
 *     unless documented)
 */
public record AdapterContext(
    Map<String, String> settings, Path dataDirectory, Clock clock, Map<Class<?>, Object> services) {
  public AdapterContext {
    settings = Map.copyOf(settings);
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(clock, "clock");
    services = Map.copyOf(services);
  }

  /** A required setting; IllegalArgumentException names it when it is missing. */
  public String require(String key) {
    String value = settings.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("adapter setting '" + key + "' is missing");
    }
    return value;
  }

  public String setting(String key, String defaultValue) {
    return settings.getOrDefault(key, defaultValue);
  }

  public <T> T service(Class<T> type) {
    Object s = services.get(type);
    if (s == null) {
      throw new IllegalArgumentException("no " + type.getSimpleName() + " available to this adapter");
    }
    return type.cast(s);
  }
}

package jp.kofu.issuer.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import jp.kofu.issuer.spi.document.CertificateDocuments;

/**
 * What the gateway gives a factory: the adapter's own settings (from the gateway's
 * configuration, as strings), a directory for its files, and the clock to use. Settings are the
 * adapter's own vocabulary (kebab-case by convention); the gateway passes them through unread.
 *
 * @param settings the adapter's settings
 * @param dataDirectory where the adapter may keep files
 * @param clock the only clock an adapter may read
 * @param services kofu's own collaborators, by type, for built-in adapters; plugins get {@link
 *     CertificateDocuments} ({@link #documents()}) and nothing else they may rely on
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

  /**
   * A secret named by setting {@code KEY-file}: the file's content, stripped; null when the setting
   * is absent. Secrets are never written into the configuration itself.
   */
  public String secret(String key) {
    String file = settings.get(key + "-file");
    if (file == null) {
      return null;
    }
    try {
      return java.nio.file.Files.readString(Path.of(file)).strip();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("adapter setting '" + key + "-file': unreadable (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** A comma-separated list setting, trimmed, empty entries dropped; empty when absent. */
  public java.util.List<String> list(String key) {
    String value = settings.get(key);
    if (value == null || value.isBlank()) {
      return java.util.List.of();
    }
    return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * SPI 1.1: kofu's certificate layouts and signing ({@link CertificateDocuments}), which the gateway
   * gives every adapter, plugins included.
   *
   * @throws IllegalArgumentException when the host gives none (a host of SPI 1.0)
   */
  public CertificateDocuments documents() {
    return service(CertificateDocuments.class);
  }

  public <T> T service(Class<T> type) {
    Object s = services.get(type);
    if (s == null) {
      throw new IllegalArgumentException("no " + type.getSimpleName() + " available to this adapter");
    }
    return type.cast(s);
  }
}

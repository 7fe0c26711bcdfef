package jp.kofu.gateway.config;

/**
 * The configuration is invalid; the message names the file and the field and what was expected.
 * Messages start with the key they are about ({@code "journal.url: ..."}), so that {@link
 * ConfigFile#located} can put the file and line in front.
 */
public class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String message) {
    super(message);
    int colon = message.indexOf(": ");
    this.key = colon > 0 && !message.substring(0, colon).contains(" ") ? message.substring(0, colon) : null;
  }

  /** About {@code key} (e.g. {@code adapters[0].settings.call-timeout}): "key: problem". */
  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The key the problem is about, or null. */
  public String key() {
    return key;
  }
}

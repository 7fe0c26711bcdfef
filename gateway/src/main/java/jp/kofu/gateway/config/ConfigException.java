package jp.kofu.gateway.config;

/** The configuration is invalid; the message names the file and the field and what was expected. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}

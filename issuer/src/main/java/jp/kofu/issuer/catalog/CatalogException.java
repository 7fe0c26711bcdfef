package jp.kofu.issuer.catalog;

/** A catalog file is invalid; the message names the file, the field, and what was expected. */
public class CatalogException extends RuntimeException {
  public CatalogException(String message) {
    super(message);
  }

  public CatalogException(String message, Throwable cause) {
    super(message, cause);
  }
}

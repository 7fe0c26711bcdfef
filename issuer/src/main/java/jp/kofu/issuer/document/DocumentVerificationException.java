package jp.kofu.issuer.document;

import java.util.Objects;

/**
 * A signed document failed verification. The message says precisely what was wrong; it never
 * contains the document's personal data.
 */
public final class DocumentVerificationException extends Exception {
  private final Problem problem;

  public DocumentVerificationException(Problem problem, String message) {
    this(problem, message, null);
  }

  public DocumentVerificationException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  public Problem problem() {
    return problem;
  }

  /** What kind of failure, for callers that react differently (and for tests). */
  public enum Problem {
    /** Not a PDF, or a signature that cannot be parsed. */
    MALFORMED,
    /** No signature, or more than one. */
    SIGNATURE_COUNT,
    /** The signature does not cover the whole file: bytes were appended, or left unsigned. */
    INCOMPLETE_COVERAGE,
    /** The signature does not verify over the signed bytes: the document was changed. */
    SIGNATURE_INVALID,
    /** The signer's certificate does not chain to a trust anchor. */
    UNTRUSTED,
    /** The signer's certificate is not for signing documents. */
    KEY_USAGE,
    /** kofu's Info entries are missing, malformed or contradict the signer. */
    CONTENT,
    /** The signature timestamp is missing where required, or does not verify. */
    TIMESTAMP
  }
}

package jp.kofu.gateway.verify;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.issuer.document.VerificationLink;
import jp.kofu.issuer.reference.LocalGovernment;
import jp.kofu.issuer.reference.LocalGovernmentCodes;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.proto.type.v1.Reason;

/**
 * Answers "did kofu issue the document with this code?" from the journal, for the gRPC service and
 * the HTTP page alike.
 *
 * <p><b>Why codes cannot be guessed.</b> A code is 12 symbols of Crockford's base32 made by the
 * gateway from a {@code SecureRandom} at issuance ({@link VerificationLink#newCode}): 60 bits. Only
 * codes issued within the validity period are answered: at the national volume of 32 million
 * certificates a year (DOMAIN.md §6), 90 days hold about 8 million, 2^23. A random guess hits one
 * with probability 2^23 / 2^60 = 2^-37. With {@code lookupsPerMinute} = 30 per address, an
 * attacker with 10,000 addresses makes 300,000 guesses a minute and needs on average 2^37 / 3·10^5
 * minutes, about 870 years, for a single hit; and a hit shows a municipality, a date and a digest,
 * never a person.
 */
public final class Verifications {
  private final IssuanceJournal journal;
  private final Clock clock;
  private final Duration validity;
  private final LookupLimiter limiter;
  private volatile io.micrometer.core.instrument.MeterRegistry meters;

  public Verifications(IssuanceJournal journal, Clock clock, Duration validity, int lookupsPerMinute) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.validity = Objects.requireNonNull(validity, "validity");
    this.limiter = new LookupLimiter(clock, lookupsPerMinute);
  }

  /**
   * Counts lookups by result in {@code meters} ({@code kofu_verification_lookups_total}: genuine,
   * voided, expired, digest_mismatch, unknown, invalid, rate_limited, error) and rate-limit refusals
   * ({@code kofu_rate_limit_refusals_total{limit="verification"}}).
   */
  public Verifications meters(io.micrometer.core.instrument.MeterRegistry meters) {
    this.meters = meters;
    return this;
  }

  private void count(String result) {
    io.micrometer.core.instrument.MeterRegistry m = meters;
    if (m == null) {
      return;
    }
    m.counter("kofu.verification.lookups", "result", result).increment();
    if (result.equals("rate_limited")) {
      m.counter("kofu.rate.limit.refusals", "limit", "verification").increment();
    }
  }

  public Duration validity() {
    return validity;
  }

  /**
   * Verifies a code as typed by {@code client}.
   *
   * @param sha256 the digest of the file the verifier holds (32 bytes), or null
   * @throws KofuException RATE_LIMITED, FIELD_INVALID, VERIFICATION_CODE_UNKNOWN, JOURNAL_UNAVAILABLE
   */
  public Verification verify(String typedCode, byte[] sha256, InetAddress client) {
    return verify(typedCode, sha256, null, client);
  }

  /**
   * Verifies a code as typed by {@code client}, and that it belongs to the document numbered
   * {@code documentNumber} (as printed on the paper, or the {@code d} of the QR code's link): a
   * code copied onto another paper is DOCUMENT_NUMBER_MISMATCH, never GENUINE.
   *
   * @param documentNumber null or empty when not given
   */
  public Verification verify(String typedCode, byte[] sha256, String documentNumber, InetAddress client) {
    try {
      Verification v = lookUp(typedCode, sha256, documentNumber, client);
      count(v.status().name().toLowerCase(java.util.Locale.ROOT));
      return v;
    } catch (KofuException e) {
      count(switch (e.reason()) {
        case RATE_LIMITED -> "rate_limited";
        case VERIFICATION_CODE_UNKNOWN -> "unknown";
        case FIELD_INVALID -> "invalid";
        default -> "error";
      });
      throw e;
    } catch (RuntimeException e) {
      count("error");
      throw e;
    }
  }

  private Verification lookUp(String typedCode, byte[] sha256, String documentNumber, InetAddress client) {
    if (documentNumber != null && !documentNumber.isEmpty() && !documentNumber.matches("[A-Za-z0-9._-]{1,64}")) {
      throw KofuException.invalidField("document_number", "empty, or the document number as printed: 1..64 of [A-Za-z0-9._-]");
    }
    long wait = limiter.acquire(client);
    if (wait > 0) {
      throw new KofuException(
          Reason.RATE_LIMITED, "too many verification lookups from this address", Map.of("retry_after_ms", Long.toString(wait)));
    }
    String code = normalize(typedCode);
    if (sha256 != null && sha256.length != 32) {
      throw KofuException.invalidField("sha256", "empty, or the 32-byte SHA-256 of the PDF");
    }
    Issuance issuance =
        journal.findByVerificationCode(code)
            .orElseThrow(() -> new KofuException(Reason.VERIFICATION_CODE_UNKNOWN, "no certificate was issued with this code"));
    Verification v = answer(issuance, sha256);
    if (documentNumber != null && !documentNumber.isEmpty() && v.status() != Verification.Status.EXPIRED
        && !documentNumber.equals(v.documentNumber())) {
      return v.withStatus(Verification.Status.DOCUMENT_NUMBER_MISMATCH);
    }
    return v;
  }

  /** The code in its printed form, or FIELD_INVALID. */
  public static String normalize(String typed) {
    return VerificationLink.normalize(typed)
        .filter(VerificationLink::isWellFormed)
        .orElseThrow(() -> KofuException.invalidField("code", "12 characters of 0-9 A-Z without I L O U, as XXXX-XXXX-XXXX"));
  }

  /** What the journal record says of its document now, with or without a digest to compare. */
  Verification answer(Issuance issuance, byte[] sha256) {
    Instant issuedAt = issuance.issuedAt();
    if (issuedAt == null) {
      throw new KofuException(Reason.VERIFICATION_CODE_UNKNOWN, "no certificate was issued with this code");
    }
    Instant validUntil = issuedAt.plus(validity);
    if (!clock.instant().isBefore(validUntil)) {
      return Verification.expired();
    }
    Verification.Status status =
        switch (issuance.state()) {
          case ISSUED, DELIVERED -> Verification.Status.GENUINE;
          case VOIDED -> Verification.Status.VOIDED;
          case ORDERED, REFUSED -> throw new KofuException(Reason.VERIFICATION_CODE_UNKNOWN, "no certificate was issued with this code");
        };
    if (status == Verification.Status.GENUINE && sha256 != null
        && !HexFormat.of().formatHex(sha256).equals(issuance.documentSha256().hex())) {
      status = Verification.Status.DIGEST_MISMATCH;
    }
    String code = issuance.order().municipalityCode();
    String name = LocalGovernmentCodes.bundled().find(code).map(LocalGovernment::fullName).orElse(code);
    return new Verification(
        status,
        code,
        name,
        issuance.order().certificateType(),
        issuance.issuanceId(),
        issuedAt,
        issuance.documentSha256().hex(),
        issuance.issued().facts().pageCount(),
        validUntil);
  }

  /** The journal's record of a document number (for file verification), if any. */
  public Optional<Issuance> byDocumentNumber(String documentNumber) {
    return journal.find(documentNumber);
  }
}

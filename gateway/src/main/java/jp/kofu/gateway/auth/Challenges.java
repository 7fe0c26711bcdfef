package jp.kofu.gateway.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.proto.type.v1.Reason;

/**
 * One-time challenges for cards to sign. A challenge is self-authenticating, so any gateway of the
 * cluster can check one made by another:
 *
 * <pre>
 *   "KOFU-CH1" (8) | nonce (16) | expires-at, epoch ms (8) | HMAC-SHA256 (32)
 * </pre>
 *
 * where the MAC covers the first 32 bytes and the terminal's identity, binding the challenge to
 * the copier it was given to. Single use is enforced by the journal, not here.
 */
public final class Challenges {
  public static final int LENGTH = 64;
  private static final byte[] MAGIC = "KOFU-CH1".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Hmac hmac;
  private final java.util.List<Hmac> previous;
  private final Clock clock;
  private final Duration ttl;

  public Challenges(Hmac hmac, Clock clock, Duration ttl) {
    this(hmac, java.util.List.of(), clock, ttl);
  }

  /** Challenges made with {@code hmac}; those of the {@code previous} keys accepted while they last. */
  public Challenges(Hmac hmac, java.util.List<Hmac> previous, Clock clock, Duration ttl) {
    this.hmac = hmac;
    this.previous = java.util.List.copyOf(previous);
    this.clock = clock;
    this.ttl = ttl;
  }

  /** A challenge and when it expires. */
  public record Issued(byte[] challenge, Instant expiresAt) {}

  /** A checked challenge: its id (the nonce, hex) for the single-use record, and its expiry. */
  public record Opened(String challengeId, Instant expiresAt) {}

  public Issued issue(TerminalIdentity terminal) {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    Instant expiresAt = clock.instant().plus(ttl);
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.put(MAGIC).put(nonce).putLong(expiresAt.toEpochMilli());
    byte[] body = Arrays.copyOf(b.array(), 32);
    b.put(hmac.mac(body, terminal.id().getBytes(StandardCharsets.UTF_8)));
    return new Issued(b.array(), Instant.ofEpochMilli(expiresAt.toEpochMilli()));
  }

  /** Checks origin, terminal binding and expiry; throws with the precise reason. */
  public Opened open(byte[] challenge, TerminalIdentity terminal) {
    if (challenge.length != LENGTH || !Arrays.equals(MAGIC, 0, MAGIC.length, challenge, 0, MAGIC.length)) {
      throw new KofuException(Reason.CHALLENGE_INVALID, "challenge: not made by this service (expected: " + LENGTH + " bytes from OpenSession)");
    }
    byte[] body = Arrays.copyOf(challenge, 32);
    byte[] mac = Arrays.copyOfRange(challenge, 32, LENGTH);
    byte[] terminalId = terminal.id().getBytes(StandardCharsets.UTF_8);
    if (!hmac.verify(mac, body, terminalId) && previous.stream().noneMatch(h -> h.verify(mac, body, terminalId))) {
      throw new KofuException(Reason.CHALLENGE_INVALID, "challenge: altered, or given to another terminal");
    }
    Instant expiresAt = Instant.ofEpochMilli(ByteBuffer.wrap(challenge, 24, 8).getLong());
    if (!clock.instant().isBefore(expiresAt)) {
      throw new KofuException(Reason.CHALLENGE_EXPIRED, "challenge expired at " + expiresAt);
    }
    return new Opened(HexFormat.of().formatHex(challenge, 8, 24), expiresAt);
  }
}

package jp.kofu.gateway.auth;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.proto.type.v1.Reason;

/**
 * Stateless session tokens: the claims, then an HMAC-SHA256 over them under the cluster's session
 * secret. Any gateway checks any token; a closed session is refused through the journal.
 */
public final class SessionTokens {
  public static final int MAX_LENGTH = 1024;
  /** Version 1: no key id (one secret); version 2: the key id follows, so that keys can rotate. */
  private static final byte VERSION_1 = 1;

  private static final byte VERSION = 2;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String keyId;
  private final Hmac hmac;
  private final java.util.Map<String, Hmac> accepted;
  private final Clock clock;
  private final Duration ttl;

  public SessionTokens(Hmac hmac, Clock clock, Duration ttl) {
    this("default", hmac, java.util.Map.of("default", hmac), clock, ttl);
  }

  /** Tokens made with {@code keys}' current key; those of its older keys accepted until they expire. */
  public SessionTokens(Keyring keys, String purpose, Clock clock, Duration ttl) {
    this(keys.current().id(), keys.hmac(purpose), keys.accepted(purpose), clock, ttl);
  }

  private SessionTokens(String keyId, Hmac hmac, java.util.Map<String, Hmac> accepted, Clock clock, Duration ttl) {
    this.keyId = keyId;
    this.hmac = hmac;
    this.accepted = java.util.Map.copyOf(accepted);
    this.clock = clock;
    this.ttl = ttl;
  }

  public Duration ttl() {
    return ttl;
  }

  /** A new session for this card at this terminal. */
  public SessionClaims newSession(TerminalIdentity terminal, CardRef card, String addressMunicipality) {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    Instant expires = Instant.ofEpochMilli(clock.instant().plus(ttl).toEpochMilli());
    return new SessionClaims(HexFormat.of().formatHex(id), terminal, card, addressMunicipality, expires);
  }

  public byte[] encode(SessionClaims claims) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(keyId);
      out.writeUTF(claims.sessionId());
      out.writeUTF(claims.terminal().storeChain());
      out.writeUTF(claims.terminal().store());
      out.writeUTF(claims.terminal().terminal());
      out.writeUTF(claims.card().serial());
      out.writeUTF(claims.card().issuerKeyId());
      out.writeByte(claims.card().kind().ordinal());
      out.writeUTF(claims.addressMunicipality());
      out.writeLong(claims.expiresAt().toEpochMilli());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] body = bytes.toByteArray();
    byte[] token = Arrays.copyOf(body, body.length + 32);
    System.arraycopy(hmac.mac(body), 0, token, body.length, 32);
    return token;
  }

  /** Checks the token's origin, its terminal binding and its expiry. */
  public SessionClaims open(byte[] token, TerminalIdentity caller) {
    if (token.length < 33 || token.length > MAX_LENGTH) {
      throw new KofuException(Reason.SESSION_INVALID, "session token: malformed (expected: the token from Authenticate)");
    }
    byte[] body = Arrays.copyOf(token, token.length - 32);
    SessionClaims claims;
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body))) {
      byte version = in.readByte();
      Hmac key;
      if (version == VERSION) {
        key = accepted.get(in.readUTF());
      } else if (version == VERSION_1) {
        key = hmac;
      } else {
        throw new KofuException(Reason.SESSION_INVALID, "session token: unknown version");
      }
      if (key == null || !key.verify(Arrays.copyOfRange(token, token.length - 32, token.length), body)) {
        throw new KofuException(Reason.SESSION_INVALID, "session token: not made by this service, or altered");
      }
      String id = in.readUTF();
      TerminalIdentity terminal = new TerminalIdentity(in.readUTF(), in.readUTF(), in.readUTF());
      String serial = in.readUTF();
      String issuer = in.readUTF();
      CardRef.CredentialKind kind = CardRef.CredentialKind.values()[in.readByte()];
      String municipality = in.readUTF();
      Instant expires = Instant.ofEpochMilli(in.readLong());
      claims = new SessionClaims(id, terminal, new CardRef(serial, issuer, kind), municipality, expires);
    } catch (IOException | RuntimeException e) {
      if (e instanceof KofuException k) {
        throw k;
      }
      throw new KofuException(Reason.SESSION_INVALID, "session token: malformed");
    }
    if (!claims.terminal().equals(caller)) {
      throw new KofuException(Reason.SESSION_INVALID, "session token: belongs to another terminal");
    }
    if (!clock.instant().isBefore(claims.expiresAt())) {
      throw new KofuException(Reason.SESSION_EXPIRED, "session expired at " + claims.expiresAt());
    }
    return claims;
  }
}

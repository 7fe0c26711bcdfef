package jp.kofu.gateway.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One of the gateway's secrets under rotation: the key in use (what new MACs are made with) and
 * older ones still accepted when checking (a token minted before the rotation stays valid until
 * it expires; a journal chain written before it still audits).
 */
public record Keyring(Key current, List<Key> previous) {
  /** A secret and its id (at least 32 bytes). */
  public record Key(String id, byte[] secret) {
    public Key {
      Objects.requireNonNull(id, "id");
      if (secret.length < 32) {
        throw new IllegalArgumentException("secret " + id + ": " + secret.length + " bytes (expected: at least 32)");
      }
      secret = secret.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }
  }

  public Keyring {
    Objects.requireNonNull(current, "current");
    previous = List.copyOf(previous);
  }

  /** A single key without history (tests, the development world's one secret). */
  public static Keyring of(String id, byte[] secret) {
    return new Keyring(new Key(id, secret), List.of());
  }

  /** The key in use, for {@code purpose}. */
  public Hmac hmac(String purpose) {
    return new Hmac(current.secret(), purpose);
  }

  /** The older keys, for {@code purpose}, newest first as configured. */
  public List<Hmac> previousHmacs(String purpose) {
    List<Hmac> out = new ArrayList<>();
    for (Key k : previous) {
      out.add(new Hmac(k.secret(), purpose));
    }
    return out;
  }

  /** Every accepted key by id, for {@code purpose}: the current one first. */
  public java.util.LinkedHashMap<String, Hmac> accepted(String purpose) {
    java.util.LinkedHashMap<String, Hmac> out = new java.util.LinkedHashMap<>();
    out.put(current.id(), hmac(purpose));
    for (Key k : previous) {
      out.putIfAbsent(k.id(), new Hmac(k.secret(), purpose));
    }
    return out;
  }
}

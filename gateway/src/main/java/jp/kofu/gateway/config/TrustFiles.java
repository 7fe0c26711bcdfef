package jp.kofu.gateway.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import jp.kofu.gateway.auth.Keyring;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.Pem;

/**
 * Reads the trust material a configuration names, refusing at start what would fail later: a
 * missing file (named by its key), a private key or secret readable by group or others, a
 * certificate outside its validity, a trust anchor that is not a CA, a key that does not belong
 * to its certificate. Every refusal is a {@link ConfigException} naming the key.
 */
public final class TrustFiles {
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private final Clock clock;

  public TrustFiles(Clock clock) {
    this.clock = clock;
  }

  /** The gateway's server certificate and key ({@code tls.*}). */
  public HeldCertificate serverCertificate(GatewayConfig.Tls tls) {
    if (tls == null) {
      throw new ConfigException("tls", "missing (expected: certificate and key, PEM files; or pkcs12)");
    }
    if (tls.pkcs12() != null) {
      return pkcs12(tls);
    }
    if (tls.certificate() == null) {
      throw new ConfigException("tls.certificate", "missing (expected: the gateway's certificate and its chain, a PEM file)");
    }
    if (tls.key() == null) {
      throw new ConfigException("tls.key", "missing (expected: the gateway's private key, a PEM file readable by its owner only)");
    }
    return held("tls.certificate", tls.certificate(), "tls.key", tls.key());
  }

  /** The client certificate towards remote issuer servers, or null when none is configured. */
  public HeldCertificate clientCertificate(GatewayConfig.Tls tls) {
    if (tls == null || (tls.clientCertificate() == null && tls.clientKey() == null)) {
      return null;
    }
    if (tls.clientCertificate() == null || tls.clientKey() == null) {
      String missing = tls.clientCertificate() == null ? "tls.client-certificate" : "tls.client-key";
      throw new ConfigException(missing, "missing (expected: client-certificate and client-key together)");
    }
    return held("tls.client-certificate", tls.clientCertificate(), "tls.client-key", tls.clientKey());
  }

  private HeldCertificate held(String certKey, Path certFile, String keyKey, Path keyFile) {
    List<X509Certificate> chain = certificates(certKey, certFile);
    X509Certificate leaf = chain.get(0);
    valid(certKey, certFile, leaf);
    PrivateKey key;
    try {
      key = Pem.privateKey(new String(secretBytes(keyKey, keyFile), StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(keyKey, keyFile + ": " + e.getMessage());
    }
    matches(keyKey, keyFile, leaf, key);
    return new HeldCertificate(leaf, new KeyPair(leaf.getPublicKey(), key), chain.subList(1, chain.size()));
  }

  private HeldCertificate pkcs12(GatewayConfig.Tls tls) {
    char[] password =
        tls.pkcs12PasswordFile() == null
            ? new char[0]
            : new String(secretBytes("tls.pkcs12-password-file", tls.pkcs12PasswordFile()), StandardCharsets.UTF_8).strip().toCharArray();
    byte[] bytes = secretBytes("tls.pkcs12", tls.pkcs12());
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
        ks.load(in, password);
      }
      for (String alias : java.util.Collections.list(ks.aliases())) {
        if (ks.isKeyEntry(alias)) {
          PrivateKey key = (PrivateKey) ks.getKey(alias, password);
          List<X509Certificate> chain = new ArrayList<>();
          for (Certificate c : ks.getCertificateChain(alias)) {
            chain.add((X509Certificate) c);
          }
          valid("tls.pkcs12", tls.pkcs12(), chain.get(0));
          matches("tls.pkcs12", tls.pkcs12(), chain.get(0), key);
          // The root is the clients' business: present the certificate and its intermediates.
          List<X509Certificate> intermediates =
              chain.subList(1, chain.size()).stream().filter(c -> !c.getSubjectX500Principal().equals(c.getIssuerX500Principal())).toList();
          return new HeldCertificate(chain.get(0), new KeyPair(chain.get(0).getPublicKey(), key), intermediates);
        }
      }
      throw new ConfigException("tls.pkcs12", tls.pkcs12() + ": no private key entry (expected: a PKCS#12 file with the key and its certificate)");
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("tls.pkcs12", tls.pkcs12() + ": unreadable (" + e.getMessage() + "; is tls.pkcs12-password-file right?)");
    }
  }

  /**
   * The CA certificates of one role: each file must exist and hold CA certificates valid now.
   *
   * @param key e.g. {@code trust.terminal-cas}
   * @param required whether the role must have at least one anchor
   */
  public List<X509Certificate> anchors(String key, List<Path> files, boolean required) {
    if (files == null || files.isEmpty()) {
      if (required) {
        throw new ConfigException(key, "missing (expected: a list of PEM files of CA certificates)");
      }
      return List.of();
    }
    List<X509Certificate> out = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      String k = key + "[" + i + "]";
      Path f = files.get(i);
      for (X509Certificate c : certificates(k, f)) {
        if (c.getBasicConstraints() < 0) {
          throw new ConfigException(
              k, f + ": '" + c.getSubjectX500Principal().getName() + "' is not a CA (basic constraints without CA:TRUE; expected: a CA certificate)");
        }
        valid(k, f, c);
        out.add(c);
      }
    }
    return List.copyOf(out);
  }

  /** A secret and its older keys ({@code secrets.session}, {@code secrets.journal}). */
  public Keyring keyring(String key, GatewayConfig.SecretKey k) {
    if (k == null) {
      throw new ConfigException(key, "missing (expected: key-id and file: an owner-only file of at least 32 random bytes)");
    }
    List<Keyring.Key> older = new ArrayList<>();
    for (int i = 0; i < k.previous().size(); i++) {
      older.add(key(key + ".previous[" + i + "]", k.previous().get(i)));
    }
    return new Keyring(key(key, k), older);
  }

  private Keyring.Key key(String key, GatewayConfig.SecretKey k) {
    byte[] raw;
    String where;
    if (k.value() != null) {
      raw = k.value().getBytes(StandardCharsets.US_ASCII);
      where = ConfigFile.envName(key + ".value");
    } else {
      raw = secretBytes(key + ".file", k.file());
      where = k.file().toString();
    }
    byte[] secret = decode(raw);
    if (secret.length < 32) {
      throw new ConfigException(
          key + (k.value() != null ? ".value" : ".file"),
          where + ": " + secret.length + " bytes (expected: at least 32, e.g. openssl rand -base64 48)");
    }
    return new Keyring.Key(k.keyId(), secret);
  }

  /** Base64 text (what {@code openssl rand -base64} writes) is decoded; anything else is taken as bytes. */
  private static byte[] decode(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1).strip();
    if (!text.isEmpty() && text.matches("[A-Za-z0-9+/=\\r\\n]+")) {
      try {
        return Base64.getMimeDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        return raw;
      }
    }
    return raw;
  }

  /** The bytes of a file that holds a secret: it must exist and be readable by its owner only. */
  public static byte[] secretBytes(String key, Path file) {
    ownerOnly(key, file);
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException(key, file + ": unreadable (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Refuses a missing file, or one group or others may read. As PostgreSQL does for its key
   * files, one exception: a file owned by root may be readable by its group (0640, 0440) when
   * kofu does not run as root — that is how a Kubernetes Secret reaches a non-root pod (root's
   * files, the pod's fsGroup). Others may never read it, nobody but the owner write it.
   */
  public static void ownerOnly(String key, Path file) {
    exists(key, file);
    try {
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Set<PosixFilePermission> perms = new java.util.HashSet<>(Files.getPosixFilePermissions(file));
        if (perms.contains(PosixFilePermission.GROUP_READ)
            && "root".equals(Files.getOwner(file).getName())
            && !"root".equals(System.getProperty("user.name"))) {
          perms.remove(PosixFilePermission.GROUP_READ);
        }
        if (perms.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
          throw new ConfigException(
              key,
              file + " is readable by group or others (mode " + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                  + "; expected: owner only, chmod 600 " + file + "; or 0640 owned by root for a non-root gateway)");
        }
      }
    } catch (IOException e) {
      throw new ConfigException(key, file + ": unreadable (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Refuses a file that is not there. */
  public static void exists(String key, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(key, file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
    }
  }

  private static List<X509Certificate> certificates(String key, Path file) {
    exists(key, file);
    List<X509Certificate> chain;
    try {
      chain = Pem.certificates(file);
    } catch (RuntimeException e) {
      throw new ConfigException(key, file + ": unreadable (" + e.getMessage() + ")");
    }
    if (chain.isEmpty()) {
      throw new ConfigException(key, file + ": no certificate (expected: PEM CERTIFICATE blocks)");
    }
    return chain;
  }

  private void valid(String key, Path file, X509Certificate c) {
    Instant now = clock.instant();
    if (now.isAfter(c.getNotAfter().toInstant())) {
      throw new ConfigException(
          key, file + ": '" + c.getSubjectX500Principal().getName() + "' expired on " + c.getNotAfter().toInstant() + " (expected: valid now, " + now + ")");
    }
    if (now.isBefore(c.getNotBefore().toInstant())) {
      throw new ConfigException(
          key, file + ": '" + c.getSubjectX500Principal().getName() + "' is valid only from " + c.getNotBefore().toInstant() + " (expected: valid now, " + now + ")");
    }
  }

  private static void matches(String key, Path file, X509Certificate cert, PrivateKey privateKey) {
    try {
      String alg = privateKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : privateKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : null;
      if (alg == null) {
        return;
      }
      byte[] probe = "kofu key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(privateKey);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      if (!v.verify(sig)) {
        throw new ConfigException(key, file + ": the key does not belong to the certificate (expected: the certificate's own private key)");
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigException(key, file + ": the key does not belong to the certificate (" + e.getMessage() + ")");
    }
  }
}

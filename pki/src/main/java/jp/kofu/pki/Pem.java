package jp.kofu.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Reads and writes PEM: certificates, CRLs and unencrypted PKCS#8 private keys. */
public final class Pem {
  private Pem() {}

  public static String encode(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        writer.writeObject(o instanceof PrivateKey key ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  public static void write(Path file, Object... objects) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, encode(objects), StandardCharsets.US_ASCII);
      boolean secret = false;
      for (Object o : objects) {
        secret |= o instanceof PrivateKey;
      }
      if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Replaces {@code file} with {@code text} through a temporary file and an atomic rename, so that
   * a reader in another process sees the old content or the new, never a mix.
   */
  public static void writeAtomically(Path file, String text) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first CRL of a PEM text. */
  public static X509CRL crl(String pem) {
    for (Object o : parseAll(pem)) {
      if (o instanceof X509CRLHolder holder) {
        return X509.toCrl(holder);
      }
    }
    throw new IllegalArgumentException("no CRL (expected: a PEM X509 CRL block)");
  }

  public static List<X509Certificate> certificates(String pem) {
    List<X509Certificate> out = new ArrayList<>();
    for (Object o : parseAll(pem)) {
      if (o instanceof X509CertificateHolder holder) {
        out.add(X509.toCertificate(holder));
      }
    }
    return out;
  }

  public static X509Certificate certificate(Path file) {
    List<X509Certificate> certs = certificates(read(file));
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(file + ": no certificate (expected: a PEM CERTIFICATE block)");
    }
    return certs.get(0);
  }

  public static List<X509Certificate> certificates(Path file) {
    return certificates(read(file));
  }

  public static X509CRL crl(Path file) {
    for (Object o : parseAll(read(file))) {
      if (o instanceof X509CRLHolder holder) {
        return X509.toCrl(holder);
      }
    }
    throw new IllegalArgumentException(file + ": no CRL (expected: a PEM X509 CRL block)");
  }

  public static PrivateKey privateKey(String pem) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      for (Object o : parseAll(pem)) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable private key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no private key (expected: a PEM PRIVATE KEY block)");
  }

  public static PrivateKey privateKey(Path file) {
    try {
      return privateKey(read(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  public static KeyPair keyPair(Path keyFile, PublicKey publicKey) {
    return new KeyPair(publicKey, privateKey(keyFile));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Object> parseAll(String pem) {
    List<Object> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        out.add(o);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable PEM: " + e.getMessage(), e);
    }
    return out;
  }

  static X509Certificate parseDer(byte[] der) throws CertificateException {
    return X509.parse(der);
  }
}

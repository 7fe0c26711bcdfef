package jp.kofu.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;

/** Small X.509 helpers shared by every module: parsing, key generation, names and ids. */
public final class X509 {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ThreadLocal<CertificateFactory> FACTORY =
      ThreadLocal.withInitial(
          () -> {
            try {
              return CertificateFactory.getInstance("X.509");
            } catch (CertificateException e) {
              throw new IllegalStateException(e);
            }
          });

  private X509() {}

  /** Parses one DER certificate; throws {@link CertificateException} for anything else. */
  public static X509Certificate parse(byte[] der) throws CertificateException {
    if (der == null || der.length == 0) {
      throw new CertificateException("empty certificate");
    }
    try {
      var cert = (X509Certificate) FACTORY.get().generateCertificate(new ByteArrayInputStream(der));
      if (cert == null) {
        throw new CertificateException("no certificate in input");
      }
      // The JDK accepts trailing bytes and PEM; a card sends exactly one DER certificate.
      if (!java.util.Arrays.equals(cert.getEncoded(), der)) {
        throw new CertificateException("not exactly one DER certificate");
      }
      return cert;
    } catch (RuntimeException e) {
      // Some malformed inputs escape the JDK parser as runtime exceptions.
      throw new CertificateException("malformed certificate: " + e.getClass().getSimpleName(), e);
    }
  }

  static X509Certificate toCertificate(X509CertificateHolder holder) {
    try {
      return parse(holder.getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static X509CRL toCrl(X509CRLHolder holder) {
    try {
      return (X509CRL) FACTORY.get().generateCRL(new ByteArrayInputStream(holder.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A fresh RSA-2048 key pair: JPKI's card keys are RSA-2048 (DOMAIN.md §3). */
  public static KeyPair newRsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A random positive serial of 63 bits: unique per CA for all practical purposes. */
  public static BigInteger newSerial() {
    return new BigInteger(63, RANDOM).setBit(62);
  }

  /** The certificate's serial as kofu writes it everywhere: lowercase hex, no leading zeros. */
  public static String serialHex(X509Certificate cert) {
    return cert.getSerialNumber().toString(16);
  }

  /**
   * SHA-256 of the certificate's subject public key info, lowercase hex. For a CA certificate
   * this names the issuer of the certificates it signs: serials are unique per issuer only.
   */
  public static String keyId(X509Certificate cert) {
    return HexFormat.of().formatHex(sha256(cert.getPublicKey().getEncoded()));
  }

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first value of a subject attribute, or null. */
  public static String subjectAttribute(X509Certificate cert, ASN1ObjectIdentifier type) {
    X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    RDN[] rdns = name.getRDNs(type);
    return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }
}

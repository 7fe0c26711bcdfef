package jp.kofu.gateway;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import jp.kofu.pki.CertificateAuthority;
import jp.kofu.pki.KofuOids;
import jp.kofu.pki.X509;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Card certificates of any shape, good or odd, signed by a CA of the test's trust world: what a
 * forger, a broken card or a confused CA might produce. Keys are made once and shared, so a test
 * can make dozens in milliseconds.
 */
final class CardCertificates {
  static final KeyPair RSA_2048 = X509.newRsaKeyPair();
  static final KeyPair RSA_1024 = rsa(1024);
  static final KeyPair EC = ec();

  private final CertificateAuthority ca;
  private X500Name issuer;
  private KeyPair signer;
  private PublicKey subjectKey = RSA_2048.getPublic();
  private Instant notBefore;
  private Instant notAfter;
  private Integer keyUsage = KeyUsage.digitalSignature;
  private boolean isCa;
  private final List<ASN1ObjectIdentifier> policies = new ArrayList<>();
  private final List<Extension> extra = new ArrayList<>();
  private String algorithm = "SHA256withRSA";

  private CardCertificates(CertificateAuthority ca, Instant now) {
    this.ca = ca;
    this.issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    this.signer = ca.keyPair();
    this.notBefore = now.minus(Duration.ofHours(1));
    this.notAfter = now.plus(Duration.ofDays(365));
    policies.add(ca.name().equals("smartphone-ca") ? KofuOids.POLICY_SMARTPHONE_USER_CERTIFICATION : KofuOids.POLICY_CARD_USER_CERTIFICATION);
  }

  /** A well-formed card certificate of {@code ca} (its policy, digitalSignature), valid at {@code now}. */
  static CardCertificates of(CertificateAuthority ca, Instant now) {
    return new CardCertificates(ca, now);
  }

  CardCertificates key(KeyPair key) {
    this.subjectKey = key.getPublic();
    return this;
  }

  CardCertificates validity(Instant from, Instant to) {
    this.notBefore = from;
    this.notAfter = to;
    return this;
  }

  CardCertificates keyUsage(Integer usage) {
    this.keyUsage = usage;
    return this;
  }

  CardCertificates ca() {
    this.isCa = true;
    return this;
  }

  CardCertificates policies(ASN1ObjectIdentifier... oids) {
    policies.clear();
    policies.addAll(List.of(oids));
    return this;
  }

  CardCertificates extension(ASN1ObjectIdentifier oid, boolean critical, byte[] value) {
    extra.add(new Extension(oid, critical, new DEROctetString(value)));
    return this;
  }

  CardCertificates extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
    try {
      extra.add(new Extension(oid, critical, new DEROctetString(value.toASN1Primitive().getEncoded())));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  /** Signed by another key under the CA's name: a forgery. */
  CardCertificates signedBy(KeyPair key) {
    this.signer = key;
    return this;
  }

  CardCertificates algorithm(String algorithm) {
    this.algorithm = algorithm;
    return this;
  }

  byte[] der() {
    try {
      X500Name subject = new X500Name("C=JP,O=JPKI,OU=JPKI for user authentication,CN=U" + X509.newSerial().toString(16));
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(issuer, new BigInteger(63, new java.util.Random()).setBit(62), Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (keyUsage != null) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      }
      if (!policies.isEmpty()) {
        b.addExtension(
            Extension.certificatePolicies, false, new CertificatePolicies(policies.stream().map(PolicyInformation::new).toArray(PolicyInformation[]::new)));
      }
      for (Extension e : extra) {
        b.addExtension(e);
      }
      return b.build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  X509Certificate certificate() {
    try {
      return X509.parse(der());
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a card with {@code key} would send: SHA256withRSA over the challenge. */
  static byte[] sign(KeyPair key, byte[] challenge) {
    try {
      Signature s = Signature.getInstance(key.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA");
      s.initSign(key.getPrivate());
      s.update(challenge);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(256);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

package jp.kofu.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority of the development trust world: it issues certificates of a few fixed
 * profiles, keeps what it revoked, and publishes CRLs. Thread-safe.
 */
public final class CertificateAuthority {
  private final String name;
  private final KeyPair keyPair;
  private final X509Certificate certificate;
  /** Issuers above this CA, up to and including the root; empty for a root. */
  private final List<X509Certificate> parents;
  private final Clock clock;
  private final Map<BigInteger, Revocation> revoked = new ConcurrentHashMap<>();

  /** How long a CRL written to disk says it is good for (its nextUpdate). */
  public static final Duration PUBLISHED_CRL_VALIDITY = Duration.ofDays(1);

  /** A revoked serial: when and why (RFC 5280 reason code). */
  public record Revocation(Instant at, int reason) {}

  /** What a certificate is for; each fixes its key usage, extended key usage and policy. */
  public enum Profile {
    CA,
    /** A My Number Card's user-certification certificate. */
    CARD,
    /** A smartphone's user-certification credential. */
    SMARTPHONE,
    /** A municipality's PDF-signing certificate. */
    MUNICIPAL_SIGNING,
    /** A store copier's TLS client certificate. */
    TERMINAL,
    /** A TLS server (the gateway, a municipality's issuer server); also a TLS client. */
    SERVER,
    /** A delegated OCSP responder. */
    OCSP_RESPONDER,
    /** An RFC 3161 time-stamping unit. */
    TIMESTAMPING
  }

  private CertificateAuthority(
      String name, KeyPair keyPair, X509Certificate certificate, List<X509Certificate> parents, Clock clock) {
    this.name = name;
    this.keyPair = keyPair;
    this.certificate = certificate;
    this.parents = List.copyOf(parents);
    this.clock = clock;
  }

  /** A new self-signed root. */
  public static CertificateAuthority newRoot(String name, X500Name subject, Duration validity, Clock clock) {
    KeyPair keys = X509.newRsaKeyPair();
    X509Certificate cert =
        build(subject, keys.getPublic(), subject, keys, null, Profile.CA, validity, clock, List.of(), X509.newSerial());
    return new CertificateAuthority(name, keys, cert, List.of(), clock);
  }

  /** A new CA certified by this one. */
  public CertificateAuthority newSubordinate(String subName, X500Name subject, Duration validity) {
    KeyPair keys = X509.newRsaKeyPair();
    X509Certificate cert = issue(subject, keys.getPublic(), Profile.CA, validity, List.of());
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(certificate);
    chain.addAll(parents);
    return new CertificateAuthority(subName, keys, cert, chain, clock);
  }

  /** A CA read back from {@code cert.pem} (its chain), {@code key.pem} and {@code revoked.txt}. */
  static CertificateAuthority load(String name, Path dir, Clock clock) {
    HeldCertificate held = HeldCertificate.readFrom(dir);
    CertificateAuthority ca =
        new CertificateAuthority(name, held.keyPair(), held.certificate(), held.intermediates(), clock);
    ca.reloadRevocations(dir);
    return ca;
  }

  /**
   * Replaces what this CA knows to be revoked with {@code dir/revoked.txt}: another process (for
   * example {@code kofu pki revoke}) may have revoked a certificate since this one loaded it.
   */
  void reloadRevocations(Path dir) {
    Path revokedFile = dir.resolve("revoked.txt");
    if (!Files.exists(revokedFile)) {
      return;
    }
    Map<BigInteger, Revocation> read = new java.util.HashMap<>();
    try {
      for (String line : Files.readAllLines(revokedFile)) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 3) {
          read.put(new BigInteger(f[0], 16), new Revocation(Instant.parse(f[1]), Integer.parseInt(f[2])));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(revokedFile + ": unreadable (expected lines: SERIAL-HEX INSTANT REASON-CODE)", e);
    }
    revoked.putAll(read);
    revoked.keySet().retainAll(read.keySet());
  }

  /** Writes cert.pem, key.pem, revoked.txt and a fresh crl.pem into {@code dir}. */
  void writeTo(Path dir) {
    Pem.write(dir.resolve("cert.pem"), chainWithSelf().toArray());
    Pem.write(dir.resolve("key.pem"), keyPair.getPrivate());
    writeRevocations(dir);
  }

  /**
   * Writes revoked.txt and a CRL signed now ({@code crl.pem}), each replaced atomically so that a
   * reader in another process never sees half a file.
   */
  void writeRevocations(Path dir) {
    StringBuilder lines = new StringBuilder();
    new java.util.TreeMap<>(revoked)
        .forEach((serial, r) -> lines.append(serial.toString(16)).append(' ').append(r.at()).append(' ').append(r.reason()).append('\n'));
    Pem.writeAtomically(dir.resolve("revoked.txt"), lines.toString());
    Pem.writeAtomically(dir.resolve("crl.pem"), Pem.encode(crl(PUBLISHED_CRL_VALIDITY)));
  }

  public String name() {
    return name;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public KeyPair keyPair() {
    return keyPair;
  }

  /** The root at the top of this CA's chain (this CA itself for a root). */
  public X509Certificate root() {
    return parents.isEmpty() ? certificate : parents.get(parents.size() - 1);
  }

  /** This CA's certificate and those above it, excluding the root. */
  public List<X509Certificate> intermediates() {
    List<X509Certificate> chain = chainWithSelf();
    return chain.subList(0, chain.size() - 1);
  }

  private List<X509Certificate> chainWithSelf() {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(certificate);
    chain.addAll(parents);
    return chain;
  }

  /** Issues an end-entity certificate with a fresh RSA-2048 key. */
  public HeldCertificate issue(X500Name subject, Profile profile, Duration validity, List<GeneralName> altNames) {
    KeyPair keys = X509.newRsaKeyPair();
    X509Certificate cert = issue(subject, keys.getPublic(), profile, validity, altNames);
    return new HeldCertificate(cert, keys, intermediates());
  }

  /** Issues an end-entity certificate with a fresh RSA-2048 key and the given serial. */
  public HeldCertificate issue(X500Name subject, Profile profile, Duration validity, BigInteger serial) {
    return issue(subject, profile, validity, serial, X509.newRsaKeyPair());
  }

  /**
   * Issues an end-entity certificate for a key pair the caller provides (load tests share a pool of
   * keys among thousands of simulated cards and copiers, instead of generating one each).
   */
  public HeldCertificate issue(X500Name subject, Profile profile, Duration validity, BigInteger serial, KeyPair keys) {
    X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    X509Certificate cert = build(issuer, keys.getPublic(), subject, keyPair, certificate, profile, validity, clock, List.of(), serial);
    return new HeldCertificate(cert, keys, intermediates());
  }

  /** Issues a certificate for a key held elsewhere. */
  public X509Certificate issue(
      X500Name subject, PublicKey key, Profile profile, Duration validity, List<GeneralName> altNames) {
    X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    return build(issuer, key, subject, keyPair, certificate, profile, validity, clock, altNames, X509.newSerial());
  }

  public void revoke(BigInteger serial, int reason) {
    revoked.put(Objects.requireNonNull(serial, "serial"), new Revocation(clock.instant(), reason));
  }

  public void revoke(X509Certificate cert) {
    revoke(cert.getSerialNumber(), CRLReason.superseded);
  }

  /** Every serial revoked so far. */
  public Map<BigInteger, Revocation> revocations() {
    return Map.copyOf(revoked);
  }

  /** The revocation of a serial this CA issued, or null if it is not revoked. */
  public Revocation revocation(BigInteger serial) {
    return revoked.get(serial);
  }

  /** A CRL of everything revoked so far, valid from now for {@code nextUpdate}. */
  public X509CRL crl(Duration nextUpdate) {
    Instant now = clock.instant();
    X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer, Date.from(now));
    builder.setNextUpdate(Date.from(now.plus(nextUpdate)));
    revoked.forEach((serial, r) -> builder.addCRLEntry(serial, Date.from(r.at()), r.reason()));
    try {
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
      builder.addExtension(
          Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
      X509CRLHolder holder = builder.build(signer(keyPair));
      return X509.toCrl(holder);
    } catch (CertIOException | java.security.NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate build(
      X500Name issuer,
      PublicKey subjectKey,
      X500Name subject,
      KeyPair issuerKeys,
      X509Certificate issuerCert,
      Profile profile,
      Duration validity,
      Clock clock,
      List<GeneralName> altNames,
      BigInteger serial) {
    Instant now = clock.instant();
    // Backdated a little, so that a verifier whose clock is slightly behind still accepts it.
    Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
    Date notAfter = Date.from(now.plus(validity));
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(issuer, serial, notBefore, notAfter, subject, subjectKey);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
      if (issuerCert != null) {
        builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerCert));
      }
      switch (profile) {
        case CA -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        case CARD -> endEntity(builder, KeyUsage.digitalSignature, null, KofuOids.POLICY_CARD_USER_CERTIFICATION);
        case SMARTPHONE ->
            endEntity(builder, KeyUsage.digitalSignature, null, KofuOids.POLICY_SMARTPHONE_USER_CERTIFICATION);
        case MUNICIPAL_SIGNING ->
            endEntity(
                builder, KeyUsage.digitalSignature | KeyUsage.nonRepudiation, null, KofuOids.POLICY_MUNICIPAL_SIGNING);
        case TERMINAL ->
            endEntity(
                builder,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth),
                KofuOids.POLICY_STORE_TERMINAL);
        case SERVER ->
            endEntity(
                builder,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}),
                null);
        case OCSP_RESPONDER -> {
          endEntity(builder, KeyUsage.digitalSignature, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning), null);
          // RFC 6960 §4.2.2.2.1: clients need not ask about the responder's own certificate.
          builder.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
        }
        case TIMESTAMPING -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
          // RFC 3161 §2.3: the only extended key usage, and critical.
          builder.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
        }
      }
      if (!altNames.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName, false, new GeneralNames(altNames.toArray(GeneralName[]::new)));
      }
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer(issuerKeys)));
    } catch (java.security.GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void endEntity(
      X509v3CertificateBuilder builder, int keyUsage, ExtendedKeyUsage eku, ASN1ObjectIdentifier policy)
      throws CertIOException {
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
    if (eku != null) {
      builder.addExtension(Extension.extendedKeyUsage, false, eku);
    }
    if (policy != null) {
      builder.addExtension(Extension.certificatePolicies, false, new CertificatePolicies(new PolicyInformation(policy)));
    }
  }

  private static ContentSigner signer(KeyPair keys) {
    try {
      return new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }
}

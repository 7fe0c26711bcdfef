package jp.kofu.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * The whole development trust world: every CA kofu meets and the certificates they issue.
 *
 * <ul>
 *   <li>card: a JPKI-like root with a user-certification sub-CA (cards) and a smartphone sub-CA;
 *   <li>municipal: an LGPKI-like CA, one document-signing certificate per municipality, and the
 *       time-stamping unit whose RFC 3161 tokens make the signatures PAdES B-T;
 *   <li>terminal: the store-terminal CA and one client certificate per copier, whose subject
 *       names its store chain (O), store (OU) and terminal (CN);
 *   <li>service: the CA of kofu's own TLS servers (the gateway, municipalities' issuer servers).
 * </ul>
 *
 * <p>Revocation: each CA keeps what it revoked and signs CRLs; the OCSP responder ({@code
 * jp.kofu.pki.ocsp.OcspResponder}) answers for the card and smartphone CAs with a delegated
 * signing certificate from each ({@link #ocspResponder}).
 *
 * <p>{@link #generate()} builds it in memory (tests); {@link #openOrCreate(Path)} keeps it as PEM
 * files in the layout {@code docs/PKI.md} describes, generating on first use what is missing.
 * Certificates issued later (a municipality's signer, a copier's certificate) are written there
 * too. Development only: the CA keys lie unencrypted beside their certificates.
 */
public final class TrustWorld {
  private static final Duration ROOT_VALIDITY = Duration.ofDays(20 * 365);
  private static final Duration CA_VALIDITY = Duration.ofDays(10 * 365);
  private static final Duration CARD_VALIDITY = Duration.ofDays(5 * 365);
  private static final Duration SERVICE_VALIDITY = Duration.ofDays(2 * 365);

  /** Where each CA lives under the world's directory, by its name. */
  private static final Map<String, String> CA_PATHS =
      Map.of(
          "card-root", "card/root",
          "card-ca", "card/user-ca",
          "smartphone-ca", "card/smartphone-ca",
          "municipal-ca", "municipal/ca",
          "terminal-ca", "terminal/ca",
          "service-ca", "service/ca");

  private final Path dir;
  private final Clock clock;
  private final CertificateAuthority cardRoot;
  private final CertificateAuthority cardCa;
  private final CertificateAuthority smartphoneCa;
  private final CertificateAuthority municipalCa;
  private final CertificateAuthority terminalCa;
  private final CertificateAuthority serviceCa;
  private final Map<String, HeldCertificate> held = new ConcurrentHashMap<>();
  /** revoked.txt's modification time and size per CA, as last read: see {@link #syncRevocations}. */
  private final Map<String, List<Object>> revocationStamps = new ConcurrentHashMap<>();

  private TrustWorld(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
    this.cardRoot = ca("card-root", () -> CertificateAuthority.newRoot("card-root", name("JPKI Root CA (kofu development)", "JPKI"), ROOT_VALIDITY, clock));
    this.cardCa = ca("card-ca", () -> cardRoot.newSubordinate("card-ca", name("JPKI User Certification CA (kofu development)", "JPKI"), CA_VALIDITY));
    this.smartphoneCa = ca("smartphone-ca", () -> cardRoot.newSubordinate("smartphone-ca", name("JPKI Smartphone Credential CA (kofu development)", "JPKI"), CA_VALIDITY));
    this.municipalCa = ca("municipal-ca", () -> CertificateAuthority.newRoot("municipal-ca", name("LGPKI Municipal Signing CA (kofu development)", "LGPKI"), ROOT_VALIDITY, clock));
    this.terminalCa = ca("terminal-ca", () -> CertificateAuthority.newRoot("terminal-ca", name("Store Terminal CA (kofu development)", "kofu center"), ROOT_VALIDITY, clock));
    this.serviceCa = ca("service-ca", () -> CertificateAuthority.newRoot("service-ca", name("kofu Service CA (development)", "kofu center"), ROOT_VALIDITY, clock));
    if (dir != null) {
      writeReadme();
    }
  }

  /** A fresh world in memory, on the system clock. */
  public static TrustWorld generate() {
    return generate(Clock.systemUTC());
  }

  public static TrustWorld generate(Clock clock) {
    return new TrustWorld(null, Objects.requireNonNull(clock, "clock"));
  }

  /** The world kept in {@code dir}; whatever is missing there is generated and written first. */
  public static TrustWorld openOrCreate(Path dir) {
    return openOrCreate(dir, Clock.systemUTC());
  }

  public static TrustWorld openOrCreate(Path dir, Clock clock) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TrustWorld(dir.toAbsolutePath(), clock);
  }

  /** Where the world is kept, or null when it lives in memory only. */
  public Path directory() {
    return dir;
  }

  public Clock clock() {
    return clock;
  }

  public CertificateAuthority cardRoot() {
    return cardRoot;
  }

  public CertificateAuthority cardCa() {
    return cardCa;
  }

  public CertificateAuthority smartphoneCa() {
    return smartphoneCa;
  }

  public CertificateAuthority municipalCa() {
    return municipalCa;
  }

  public CertificateAuthority terminalCa() {
    return terminalCa;
  }

  public CertificateAuthority serviceCa() {
    return serviceCa;
  }

  /** Every CA of the world: the card root first, then its sub-CAs, then the other roots. */
  public List<CertificateAuthority> authorities() {
    return List.of(cardRoot, cardCa, smartphoneCa, municipalCa, terminalCa, serviceCa);
  }

  /** The CA called {@code name} ("card-ca", "terminal-ca", ...: see {@code docs/PKI.md}). */
  public CertificateAuthority authority(String name) {
    for (CertificateAuthority ca : authorities()) {
      if (ca.name().equals(name)) {
        return ca;
      }
    }
    throw new IllegalArgumentException("no CA named '" + name + "' (expected one of " + CA_PATHS.keySet() + ")");
  }

  /** The CA that issued {@code cert}, by name and signature; null when none of this world's did. */
  public CertificateAuthority issuerOf(X509Certificate cert) {
    for (CertificateAuthority ca : authorities()) {
      if (ca.certificate().getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
        try {
          cert.verify(ca.certificate().getPublicKey());
          return ca;
        } catch (java.security.GeneralSecurityException e) {
          // same name, another key: not this one
        }
      }
    }
    return null;
  }

  /**
   * The OCSP responder's delegated signing certificate for {@code ca} (RFC 6960 §4.2.2.2: a
   * delegated responder is certified by the very CA it answers for, so there is one per CA).
   */
  public HeldCertificate ocspResponder(CertificateAuthority ca) {
    return heldCertificate(
        "ocsp/" + ca.name(),
        () ->
            ca.issue(
                new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.C, "JP")
                    .addRDN(BCStyle.O, "kofu center")
                    .addRDN(BCStyle.CN, "kofu OCSP responder for " + ca.name())
                    .build(),
                CertificateAuthority.Profile.OCSP_RESPONDER,
                SERVICE_VALIDITY,
                List.of()));
  }

  /** The CAs the OCSP responder answers for: the issuers of user-certification credentials. */
  public List<CertificateAuthority> ocspAuthorities() {
    return List.of(cardCa, smartphoneCa);
  }

  /** A new My Number Card user-certification certificate: a serial, no personal data. */
  public HeldCertificate newCard() {
    return cardCa.issue(cardSubject(), CertificateAuthority.Profile.CARD, CARD_VALIDITY, List.of());
  }

  /**
   * The card with this serial (lowercase hex): its certificate made now, with a fresh key. The
   * seed tool assigns serials to residents without making 100,000 keys; a simulated card is
   * materialized with its serial when it is first used.
   */
  public HeldCertificate cardWithSerial(String serialHex, boolean smartphone) {
    return cardWithSerial(serialHex, smartphone, X509.newRsaKeyPair());
  }

  /** The card with this serial, for a key pair the caller provides (a load test's key pool). */
  public HeldCertificate cardWithSerial(String serialHex, boolean smartphone, java.security.KeyPair keys) {
    CertificateAuthority ca = smartphone ? smartphoneCa : cardCa;
    return ca.issue(
        cardSubject(),
        smartphone ? CertificateAuthority.Profile.SMARTPHONE : CertificateAuthority.Profile.CARD,
        CARD_VALIDITY,
        new java.math.BigInteger(serialHex, 16),
        keys);
  }

  /**
   * A copier's client certificate for a key pair the caller provides, neither cached nor written:
   * the load simulator's thousands of copiers.
   */
  public HeldCertificate terminal(String storeChain, String store, String terminal, java.security.KeyPair keys) {
    return terminalCa.issue(
        terminalSubject(storeChain, store, terminal),
        CertificateAuthority.Profile.TERMINAL,
        SERVICE_VALIDITY,
        X509.newSerial(),
        keys);
  }

  /** A new smartphone user-certification credential. */
  public HeldCertificate newSmartphoneCredential() {
    return smartphoneCa.issue(cardSubject(), CertificateAuthority.Profile.SMARTPHONE, CARD_VALIDITY, List.of());
  }

  private static X500Name cardSubject() {
    // JPKI user-certification certificates name no person: only an opaque identifier.
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.C, "JP")
        .addRDN(BCStyle.O, "JPKI")
        .addRDN(BCStyle.OU, "JPKI for user authentication")
        .addRDN(BCStyle.CN, "U" + X509.newSerial().toString(16))
        .build();
  }

  /**
   * The document-signing certificate of a municipality: O is its name, CN its mayor's title,
   * serialNumber its 6-digit local-government code.
   */
  public HeldCertificate municipalSigner(String code, String municipalityName) {
    return heldCertificate(
        "municipal/signers/" + code,
        () ->
            municipalCa.issue(
                new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.C, "JP")
                    .addRDN(BCStyle.O, municipalityName)
                    .addRDN(BCStyle.CN, municipalityName + "長")
                    .addRDN(BCStyle.SERIALNUMBER, code)
                    .build(),
                CertificateAuthority.Profile.MUNICIPAL_SIGNING,
                SERVICE_VALIDITY,
                List.of()));
  }

  /**
   * The certificate of kofu's time-stamping unit (TSU), which stamps every document signature
   * (PAdES B-T). Assumption: the LGPKI-like CA certifies it too, so the one municipal trust anchor
   * verifies both the signature and its timestamp; a real deployment would use a TSA accredited
   * under its own root.
   */
  public HeldCertificate timestampingUnit() {
    return heldCertificate(
        "municipal/tsa",
        () ->
            municipalCa.issue(
                new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.C, "JP")
                    .addRDN(BCStyle.O, "kofu center")
                    .addRDN(BCStyle.CN, "kofu Time-Stamping Unit (development)")
                    .build(),
                CertificateAuthority.Profile.TIMESTAMPING,
                SERVICE_VALIDITY,
                List.of()));
  }

  /** A store copier's client certificate. */
  public HeldCertificate terminal(String storeChain, String store, String terminal) {
    return heldCertificate(
        "terminal/copiers/" + storeChain + "/" + store + "/" + terminal,
        () ->
            terminalCa.issue(
                terminalSubject(storeChain, store, terminal),
                CertificateAuthority.Profile.TERMINAL,
                SERVICE_VALIDITY,
                List.of()));
  }

  /** A copier's subject: store chain (O), store (OU), terminal (CN). */
  private static X500Name terminalSubject(String storeChain, String store, String terminal) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.C, "JP")
        .addRDN(BCStyle.O, storeChain)
        .addRDN(BCStyle.OU, store)
        .addRDN(BCStyle.CN, terminal)
        .build();
  }

  /** The gateway's TLS server certificate, for localhost. */
  public HeldCertificate gatewayServer() {
    return heldCertificate("service/gateway", () -> serviceCertificate("kofu gateway"));
  }

  /** The TLS certificate of municipalities' issuer servers (and the gateway's client side to them). */
  public HeldCertificate issuerServer() {
    return heldCertificate("service/issuer", () -> serviceCertificate("kofu issuer"));
  }

  /** The gateway's client certificate towards remote issuer servers. */
  public HeldCertificate gatewayClient() {
    return heldCertificate("service/gateway-client", () -> serviceCertificate("kofu gateway client"));
  }

  private HeldCertificate serviceCertificate(String cn) {
    try {
      return serviceCa.issue(
          new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "kofu center").addRDN(BCStyle.CN, cn).build(),
          CertificateAuthority.Profile.SERVER,
          SERVICE_VALIDITY,
          List.of(
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, InetAddress.getByName("127.0.0.1").getHostAddress()),
              new GeneralName(GeneralName.iPAddress, "::1")));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Revokes a certificate issued by one of this world's CAs and republishes that CA's CRL. */
  public void revoke(X509Certificate cert) {
    revoke(cert, org.bouncycastle.asn1.x509.CRLReason.superseded);
  }

  /** Revokes with an RFC 5280 reason code ({@code CRLReason.affiliationChanged} after a move). */
  public void revoke(X509Certificate cert, int reason) {
    CertificateAuthority ca = issuerOf(cert);
    if (ca == null) {
      throw new IllegalArgumentException("not issued in this trust world: " + cert.getIssuerX500Principal());
    }
    revoke(ca, cert.getSerialNumber(), reason);
  }

  /** Revokes a serial of one CA and republishes that CA's revoked.txt and CRL. */
  public synchronized void revoke(CertificateAuthority ca, BigInteger serial, int reason) {
    syncRevocations();
    ca.revoke(serial, reason);
    if (dir != null) {
      Path caDir = dir.resolve(CA_PATHS.get(ca.name()));
      ca.writeRevocations(caDir);
      revocationStamps.put(ca.name(), stamp(caDir.resolve("revoked.txt")));
    }
  }

  /** Revokes a store copier's certificate (a copier taken out of service or compromised). */
  public void revokeTerminal(String storeChain, String store, String terminal, int reason) {
    String path = "terminal/copiers/" + storeChain + "/" + store + "/" + terminal;
    HeldCertificate h = held.get(path);
    X509Certificate cert = h == null ? null : h.certificate();
    if (cert == null && dir != null && Files.exists(dir.resolve(path).resolve("cert.pem"))) {
      // Only cert.pem for a copier enrolled from its vendor's CSR: the key stays with the vendor.
      cert = Pem.certificate(dir.resolve(path).resolve("cert.pem"));
    }
    if (cert == null) {
      throw new IllegalArgumentException("no terminal certificate " + storeChain + "/" + store + "/" + terminal + " in this trust world");
    }
    revoke(terminalCa, cert.getSerialNumber(), reason);
  }

  /**
   * Re-reads what another process revoked (each CA's revoked.txt, when it changed on disk). A
   * world kept in memory has nothing to re-read.
   */
  public void syncRevocations() {
    if (dir == null) {
      return;
    }
    for (CertificateAuthority ca : authorities()) {
      Path caDir = dir.resolve(CA_PATHS.get(ca.name()));
      List<Object> now = stamp(caDir.resolve("revoked.txt"));
      if (!now.equals(revocationStamps.get(ca.name()))) {
        ca.reloadRevocations(caDir);
        revocationStamps.put(ca.name(), now);
      }
    }
  }

  /** Writes a freshly signed crl.pem for every CA (a no-op in memory). */
  public synchronized void publishCrls() {
    if (dir == null) {
      return;
    }
    syncRevocations();
    for (CertificateAuthority ca : authorities()) {
      Path caDir = dir.resolve(CA_PATHS.get(ca.name()));
      Pem.writeAtomically(caDir.resolve("crl.pem"), Pem.encode(ca.crl(CertificateAuthority.PUBLISHED_CRL_VALIDITY)));
    }
  }

  /** The directory of a CA, or null in memory. */
  public Path directoryOf(CertificateAuthority ca) {
    return dir == null ? null : dir.resolve(CA_PATHS.get(ca.name()));
  }

  private static List<Object> stamp(Path file) {
    try {
      return Files.exists(file) ? List.of(Files.getLastModifiedTime(file).toInstant(), Files.size(file)) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  private CertificateAuthority ca(String name, Supplier<CertificateAuthority> create) {
    Path caDir = dir == null ? null : dir.resolve(CA_PATHS.get(name));
    if (caDir != null && Files.exists(caDir.resolve("key.pem"))) {
      CertificateAuthority ca = CertificateAuthority.load(name, caDir, clock);
      revocationStamps.put(name, stamp(caDir.resolve("revoked.txt")));
      return ca;
    }
    CertificateAuthority ca = create.get();
    if (caDir != null) {
      ca.writeTo(caDir);
      revocationStamps.put(name, stamp(caDir.resolve("revoked.txt")));
    }
    return ca;
  }

  private HeldCertificate heldCertificate(String path, Supplier<HeldCertificate> create) {
    return held.computeIfAbsent(
        path,
        p -> {
          if (dir != null && Files.exists(dir.resolve(p).resolve("key.pem"))) {
            return HeldCertificate.readFrom(dir.resolve(p));
          }
          HeldCertificate h = create.get();
          if (dir != null) {
            h.writeTo(dir.resolve(p));
          }
          return h;
        });
  }

  private static X500Name name(String cn, String o) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "JP").addRDN(BCStyle.O, o).addRDN(BCStyle.CN, cn).build();
  }

  private void writeReadme() {
    Path readme = dir.resolve("README.txt");
    if (Files.exists(readme)) {
      return;
    }
    String text =
        """
        kofu development trust world. DEVELOPMENT ONLY: CA keys lie here unencrypted.
        The full description is docs/PKI.md in the kofu sources.

        Each directory holds cert.pem (the certificate, then the ones above it: without the root
        for an end entity, up to and including the root for a CA) and key.pem (PKCS#8, mode
        0600). A CA directory also holds revoked.txt (one line per revoked
        serial: SERIAL-HEX REVOKED-AT RFC-5280-REASON-CODE) and crl.pem (its CRL, re-signed
        whenever something is revoked, and by ./kofu pki crl).

          card/root/                 JPKI-like root CA (trust anchor for cards and smartphones)
          card/user-ca/              user-certification sub-CA: issues My Number Card certificates
          card/smartphone-ca/        smartphone-credential sub-CA
          municipal/ca/              LGPKI-like municipal signing CA (trust anchor for documents)
          municipal/signers/CODE/    one document-signing certificate per municipality
          municipal/tsa/             the time-stamping unit (RFC 3161) of document signatures
          terminal/ca/               store-terminal CA (trust anchor for copiers' mTLS)
          terminal/copiers/CHAIN/STORE/TERMINAL/   one client certificate per copier
          service/ca/                CA of kofu's TLS servers (trust anchor for clients)
          service/gateway/           the gateway's server certificate (localhost, 127.0.0.1, ::1)
          service/issuer/            municipality issuer servers' certificate
          service/gateway-client/    the gateway's client certificate towards issuer servers
          ocsp/card-ca/              OCSP responder's signing certificate, certified by card/user-ca
          ocsp/smartphone-ca/        OCSP responder's signing certificate, certified by card/smartphone-ca

        Check a chain with OpenSSL, for example:
          openssl verify -CAfile municipal/ca/cert.pem municipal/signers/131016/cert.pem
          openssl verify -CAfile card/root/cert.pem -untrusted card/user-ca/cert.pem CARD.pem
          openssl verify -crl_check -CAfile terminal/ca/cert.pem -CRLfile terminal/ca/crl.pem \\
              terminal/copiers/kofu-mart/store-0001/copier-01/cert.pem
        Ask the OCSP responder (./kofu pki ocsp) about a card:
          openssl ocsp -url http://127.0.0.1:8889/ocsp -issuer card/user-ca/cert.pem -cert CARD.pem \\
              -CAfile card/root/cert.pem
        """;
    try {
      Files.writeString(readme, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package jp.kofu.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private final Path dir;
  private final Clock clock;
  private final CertificateAuthority cardRoot;
  private final CertificateAuthority cardCa;
  private final CertificateAuthority smartphoneCa;
  private final CertificateAuthority municipalCa;
  private final CertificateAuthority terminalCa;
  private final CertificateAuthority serviceCa;
  private final Map<String, HeldCertificate> held = new ConcurrentHashMap<>();

  private TrustWorld(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
    this.cardRoot = ca("card/root", () -> CertificateAuthority.newRoot("card-root", name("JPKI Root CA (kofu development)", "JPKI"), ROOT_VALIDITY, clock));
    this.cardCa = ca("card/user-ca", () -> cardRoot.newSubordinate("card-ca", name("JPKI User Certification CA (kofu development)", "JPKI"), CA_VALIDITY));
    this.smartphoneCa = ca("card/smartphone-ca", () -> cardRoot.newSubordinate("smartphone-ca", name("JPKI Smartphone Credential CA (kofu development)", "JPKI"), CA_VALIDITY));
    this.municipalCa = ca("municipal/ca", () -> CertificateAuthority.newRoot("municipal-ca", name("LGPKI Municipal Signing CA (kofu development)", "LGPKI"), ROOT_VALIDITY, clock));
    this.terminalCa = ca("terminal/ca", () -> CertificateAuthority.newRoot("terminal-ca", name("Store Terminal CA (kofu development)", "kofu center"), ROOT_VALIDITY, clock));
    this.serviceCa = ca("service/ca", () -> CertificateAuthority.newRoot("service-ca", name("kofu Service CA (development)", "kofu center"), ROOT_VALIDITY, clock));
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
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.C, "JP")
            .addRDN(BCStyle.O, storeChain)
            .addRDN(BCStyle.OU, store)
            .addRDN(BCStyle.CN, terminal)
            .build(),
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
                new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.C, "JP")
                    .addRDN(BCStyle.O, storeChain)
                    .addRDN(BCStyle.OU, store)
                    .addRDN(BCStyle.CN, terminal)
                    .build(),
                CertificateAuthority.Profile.TERMINAL,
                SERVICE_VALIDITY,
                List.of()));
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
    for (CertificateAuthority ca : List.of(cardCa, smartphoneCa, municipalCa, terminalCa, serviceCa, cardRoot)) {
      if (ca.certificate().getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
        ca.revoke(cert);
        persist(ca);
        return;
      }
    }
    throw new IllegalArgumentException("not issued in this trust world: " + cert.getIssuerX500Principal());
  }

  private void persist(CertificateAuthority ca) {
    if (dir == null) {
      return;
    }
    String path =
        ca == cardRoot ? "card/root"
            : ca == cardCa ? "card/user-ca"
            : ca == smartphoneCa ? "card/smartphone-ca"
            : ca == municipalCa ? "municipal/ca"
            : ca == terminalCa ? "terminal/ca"
            : "service/ca";
    ca.writeTo(dir.resolve(path));
  }

  private CertificateAuthority ca(String path, Supplier<CertificateAuthority> create) {
    if (dir != null && Files.exists(dir.resolve(path).resolve("key.pem"))) {
      return CertificateAuthority.load(path, dir.resolve(path), clock);
    }
    CertificateAuthority ca = create.get();
    if (dir != null) {
      ca.writeTo(dir.resolve(path));
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

        Each directory holds cert.pem (the certificate, then its chain without the root) and
        key.pem (PKCS#8, mode 0600); a CA directory also holds crl.pem and revoked.txt.

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

        Check a chain with OpenSSL, for example:
          openssl verify -CAfile municipal/ca/cert.pem municipal/signers/131016/cert.pem
          openssl verify -CAfile card/root/cert.pem -untrusted card/user-ca/cert.pem CARD.pem
        """;
    try {
      Files.writeString(readme, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

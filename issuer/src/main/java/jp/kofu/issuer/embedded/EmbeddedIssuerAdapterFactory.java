package jp.kofu.issuer.embedded;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import jp.kofu.issuer.catalog.MunicipalityCatalog;
import jp.kofu.issuer.document.LongTermValidation;
import jp.kofu.issuer.document.PadesSigner;
import jp.kofu.issuer.document.PublishedCrls;
import jp.kofu.issuer.document.VerificationLink;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.IssuerAdapterFactory;
import jp.kofu.issuer.timestamp.HttpTimeStampSource;
import jp.kofu.issuer.timestamp.TimeStampAuthority;
import jp.kofu.issuer.timestamp.TimeStampSource;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;
import jp.kofu.storage.Database;

/**
 * Kind {@code embedded}. Settings:
 *
 * <ul>
 *   <li>{@code database-url}: the registry; default the embedded H2 file {@code
 *       DATA/registry}; a {@code jdbc:postgresql:} URL for PostgreSQL ({@code database-user},
 *       {@code database-password});
 *   <li>{@code database-password-file}: a file holding the password (never the password itself);
 *   <li>{@code catalog}: the directory of municipality files; default {@code DATA/municipalities};
 *   <li>{@code municipalities}: comma-separated codes of the catalog to serve; default all (so one
 *       registry can be split between this adapter and a remote issuer server);
 *   <li>{@code signers}: a directory with {@code CODE/cert.pem} and {@code CODE/key.pem} per
 *       municipality; without it, the development {@link TrustWorld} service signs;
 *   <li>{@code verification-url}: the public verification page the documents' QR codes point to
 *       (the gateway's verification server); default {@link VerificationLink#DEFAULT_BASE};
 *   <li>{@code tsa-url}: an RFC 3161 time-stamping authority over HTTP; without it, with the
 *       development {@link TrustWorld}, its in-process time-stamping unit. Signatures are PAdES
 *       B-T either way; with neither (a signers directory and no tsa-url), B-B.
 *   <li>{@code ltv-crls}: comma-separated {@code http}, {@code https} or {@code file} URIs where
 *       the CAs of the signing and time-stamping certificates publish their CRLs; with them (and
 *       a timestamp) signatures are PAdES B-LT: a DSS with both chains and those CRLs is appended
 *       to every document ({@link LongTermValidation}). Without it, with the development {@link
 *       TrustWorld}, its municipal CA's current CRL; otherwise B-T;
 *   <li>{@code ltv-certificates}: a PEM file with the CA certificates of both chains, roots
 *       included (required with {@code ltv-crls}: the CRLs are checked against them);
 *   <li>{@code ltv-refresh}: how long one DSS (and its CRLs) is reused, an ISO-8601 duration;
 *       default {@code PT1H}, and never past a CRL's nextUpdate.
 * </ul>
 */
public final class EmbeddedIssuerAdapterFactory implements IssuerAdapterFactory {
  public static final String KIND = "embedded";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public java.util.Set<String> settingNames() {
    return java.util.Set.of(
        "database-url", "database-user", "database-password", "database-password-file", "database-pool", "catalog", "municipalities",
        "signers", "verification-url", "tsa-url", "ltv-crls", "ltv-certificates", "ltv-refresh");
  }

  @Override
  public IssuerAdapter create(AdapterContext context) {
    for (String code : context.list("municipalities")) {
      if (code.matches("[0-9]{6}") && !jp.kofu.issuer.reference.LocalGovernmentCode.isValid(code)) {
        throw new IllegalArgumentException(
            "adapter setting 'municipalities': '" + code + "' has a wrong check digit (expected: "
                + code.substring(0, 5) + jp.kofu.issuer.reference.LocalGovernmentCode.checkDigit(code.substring(0, 5)) + " by JIS X 0402)");
      }
      if (!code.matches("[0-9]{6}")) {
        throw new IllegalArgumentException("adapter setting 'municipalities': '" + code + "' (expected: 6-digit local-government codes)");
      }
    }
    if (context.settings().get("signers") == null && !context.services().containsKey(TrustWorld.class)) {
      throw new IllegalArgumentException(
          "adapter setting 'signers' is missing (expected: a directory with CODE/cert.pem and CODE/key.pem per municipality)");
    }
    Path data = context.dataDirectory();
    MunicipalityCatalog catalog =
        MunicipalityCatalog.load(Path.of(context.setting("catalog", data.resolve("municipalities").toString())));
    String url = context.setting("database-url", ResidentRegistry.embeddedUrl(data));
    Database db =
        Database.open(
            url,
            context.setting("database-user", url.startsWith("jdbc:h2:") ? "sa" : null),
            password(context, url),
            ResidentRegistry.MIGRATIONS,
            Integer.parseInt(context.setting("database-pool", "16")));
    MunicipalSigners signers;
    String signerDir = context.settings().get("signers");
    if (signerDir != null) {
      Path dir = Path.of(signerDir);
      java.util.Map<String, HeldCertificate> cache = new java.util.concurrent.ConcurrentHashMap<>();
      signers = (code, name) -> cache.computeIfAbsent(code, c -> HeldCertificate.readFrom(dir.resolve(c)));
    } else {
      TrustWorld world = context.service(TrustWorld.class);
      signers = world::municipalSigner;
    }
    VerificationLink link =
        new VerificationLink(URI.create(context.setting("verification-url", VerificationLink.DEFAULT_BASE.toString())));
    TimeStampSource timestamps = timestamps(context);
    PadesSigner signer = timestamps == null ? new PadesSigner(context.clock()) : new PadesSigner(context.clock(), timestamps);
    java.util.List<String> only = context.list("municipalities");
    try {
      return new EmbeddedIssuerAdapter(
          new ResidentRegistry(db), catalog, signers, signer, timestamps == null ? null : longTerm(context), link, db,
          only.isEmpty() ? catalog.codes() : java.util.Set.copyOf(only));
    } catch (IllegalArgumentException e) {
      db.close();
      throw new IllegalArgumentException("adapter setting 'municipalities': " + e.getMessage());
    }
  }

  private static String password(AdapterContext context, String url) {
    String fromFile = context.secret("database-password");
    if (fromFile != null) {
      return fromFile;
    }
    return context.setting("database-password", url.startsWith("jdbc:h2:") ? "" : null);
  }

  /** B-LT from the configured CRL sources; in the development world from its municipal CA; else none. */
  private static LongTermValidation longTerm(AdapterContext context) {
    Duration refresh;
    try {
      refresh = Duration.parse(context.setting("ltv-refresh", "PT1H"));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("adapter setting 'ltv-refresh': '" + context.setting("ltv-refresh", "") + "' (expected: an ISO-8601 duration such as PT1H)");
    }
    java.util.List<String> crls = context.list("ltv-crls");
    if (!crls.isEmpty()) {
      String certificates = context.settings().get("ltv-certificates");
      if (certificates == null) {
        throw new IllegalArgumentException(
            "adapter setting 'ltv-certificates' is missing (expected with 'ltv-crls': a PEM file of the CA certificates of the signing and time-stamping chains)");
      }
      java.util.List<URI> uris = new java.util.ArrayList<>();
      for (String u : crls) {
        uris.add(URI.create(u));
      }
      return new LongTermValidation(
          context.clock(), refresh, jp.kofu.pki.Pem.certificates(Path.of(certificates)), new PublishedCrls(uris, Duration.ofSeconds(10)));
    }
    if (context.services().containsKey(TrustWorld.class)) {
      TrustWorld world = context.service(TrustWorld.class);
      var ca = world.municipalCa();
      return new LongTermValidation(context.clock(), refresh, java.util.List.of(ca.certificate()), issuer -> {
        if (!issuer.equals(ca.certificate())) {
          return java.util.List.of();
        }
        world.syncRevocations();
        return java.util.List.of(ca.crl(jp.kofu.pki.CertificateAuthority.PUBLISHED_CRL_VALIDITY));
      });
    }
    return null;
  }

  private static TimeStampSource timestamps(AdapterContext context) {
    String url = context.settings().get("tsa-url");
    if (url != null) {
      return new HttpTimeStampSource(URI.create(url), Duration.ofSeconds(10));
    }
    if (context.services().containsKey(TrustWorld.class)) {
      return new TimeStampAuthority(context.service(TrustWorld.class).timestampingUnit(), context.clock());
    }
    return null;
  }
}

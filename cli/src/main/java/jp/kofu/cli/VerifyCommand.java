package jp.kofu.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.JournalDatabases;
import jp.kofu.gateway.verify.DocumentVerifier;
import jp.kofu.issuer.document.PadesLevel;
import jp.kofu.issuer.document.VerifiedDocument;
import jp.kofu.pki.Pem;
import jp.kofu.pki.X509;
import jp.kofu.storage.Database;
import org.bouncycastle.asn1.x500.style.BCStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kofu verify FILE.pdf}: is this certificate genuine? */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Checks that a certificate PDF is genuine: its signature and its issuance record.",
      "",
      "Checks a certificate PDF: its PAdES signature covers the whole file (but for a DSS",
      "update with validation data) and chains to the municipal signing CA, and the issuance",
      "journal records it as issued (not voided) with exactly this file's SHA-256. Prints the",
      "PAdES level (B-B, B-T, B-LT) and the timestamp's time. Exit status 0 when genuine, 1",
      "when not genuine or when it",
      "cannot be checked (the message says which: a running gateway holds the embedded",
      "journal: stop it, or use --config with a shared journal database)."
    })
final class VerifyCommand implements Callable<Integer> {
  private static final java.util.Map<PadesLevel, String> LEVELS = java.util.Map.of(
      PadesLevel.B_B, "signed; no timestamp",
      PadesLevel.B_T, "signed and timestamped",
      PadesLevel.B_LT, "timestamped, with the chains and revocation data in the document");

  @Mixin DataDir data;

  @Parameters(paramLabel = "FILE.pdf", description = "The certificate to check.")
  Path file;

  @Option(names = "--trust", paramLabel = "PEM", description = "The municipal signing CA. Default: DATA/pki/municipal/ca/cert.pem.")
  Path trust;

  @Option(names = "--config", paramLabel = "FILE", description = "A kofu-gateway.yaml whose journal to consult (and whose data replaces --data).")
  Path config;

  @Override
  public Integer call() throws Exception {
    GatewayConfig gateway = config != null ? GatewayConfig.load(config) : GatewayConfig.defaults(data.dir);
    Path anchor = trust != null ? trust : gateway.data().resolve("pki/municipal/ca/cert.pem");
    byte[] pdf = Files.readAllBytes(file);
    Database journalDb;
    try {
      journalDb =
          gateway.journal().url() == null
              ? JournalDatabases.openEmbedded(gateway.data().resolve("gateway"))
              : JournalDatabases.open(gateway.journal().url(), gateway.journal().user(), gateway.journalPassword());
    } catch (RuntimeException e) {
      System.out.println("CANNOT CHECK: the issuance journal cannot be opened (" + e.getClass().getSimpleName()
          + "); is a gateway running on it?");
      return Errors.FAILED;
    }
    try (journalDb) {
      DocumentVerifier verifier = new DocumentVerifier(List.of(Pem.certificate(anchor)), new IssuanceJournal(journalDb));
      DocumentVerifier.Genuine genuine = verifier.verify(pdf, Instant.now());
      VerifiedDocument doc = genuine.document();
      System.out.println("GENUINE: " + file);
      System.out.println("  municipality:      " + doc.municipalityCode() + " " + X509.subjectAttribute(doc.signer(), BCStyle.O));
      System.out.println("  signed by:         " + X509.subjectAttribute(doc.signer(), BCStyle.CN));
      System.out.println("  document number:   " + doc.documentNumber());
      System.out.println("  certificate:       " + doc.certificateType());
      System.out.println("  signed at:         " + doc.signingTime() + " (claimed by the signer)");
      if (doc.timestampTime() != null) {
        System.out.println("  timestamped at:    " + doc.timestampTime() + " (RFC 3161, attested by the time-stamping unit)");
      }
      System.out.println("  PAdES level:       " + doc.level() + " (" + LEVELS.get(doc.level()) + ")");
      System.out.println("  pages:             " + doc.pageCount());
      System.out.println("  SHA-256:           " + doc.sha256Hex());
      System.out.println("  issuance record:   " + genuine.issuance().state() + " at " + genuine.issuance().issuedAt()
          + ", SHA-256 matches");
      if (genuine.issuance().verificationCode() != null) {
        System.out.println("  verification code: " + genuine.issuance().verificationCode());
      }
      return 0;
    } catch (DocumentVerifier.NotGenuineException e) {
      System.out.println("NOT GENUINE: " + file + ": " + e.getMessage());
      return 1;
    }
  }
}

package jp.kofu.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import jp.kofu.issuer.document.DocumentVerificationException;
import jp.kofu.issuer.document.SignedDocuments;
import jp.kofu.issuer.document.VerifiedDocument;
import jp.kofu.pki.Pem;
import jp.kofu.pki.X509;
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
      "Checks that a certificate PDF is genuine.",
      "",
      "Checks a certificate PDF: its PAdES signature covers the whole file and chains to the",
      "municipal signing CA. Exit status 0 when genuine, 1 when not."
    })
final class VerifyCommand implements Callable<Integer> {
  @Mixin DataDir data;

  @Parameters(paramLabel = "FILE.pdf")
  Path file;

  @Option(names = "--trust", paramLabel = "PEM", description = "The municipal signing CA. Default: DATA/pki/municipal/ca/cert.pem.")
  Path trust;

  @Override
  public Integer call() throws Exception {
    Path anchor = trust != null ? trust : data.dir.resolve("pki/municipal/ca/cert.pem");
    try {
      VerifiedDocument doc = SignedDocuments.verify(Files.readAllBytes(file), List.of(Pem.certificate(anchor)));
      System.out.println("GENUINE: " + file);
      System.out.println("  municipality:    " + doc.municipalityCode() + " " + X509.subjectAttribute(doc.signer(), BCStyle.O));
      System.out.println("  signed by:       " + X509.subjectAttribute(doc.signer(), BCStyle.CN));
      System.out.println("  document number: " + doc.documentNumber());
      System.out.println("  certificate:     " + doc.certificateType());
      System.out.println("  signed at:       " + doc.signingTime());
      System.out.println("  pages:           " + doc.pageCount());
      System.out.println("  SHA-256:         " + doc.sha256Hex());
      return 0;
    } catch (DocumentVerificationException e) {
      System.out.println("NOT GENUINE: " + file + ": " + e.getMessage());
      return 1;
    }
  }
}

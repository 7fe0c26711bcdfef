package jp.kofu.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.pki.TrustWorld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kofu pki ...}: the development trust world. */
@Command(
    name = "pki",
    mixinStandardHelpOptions = true,
    description = "The development trust world.",
    subcommands = {PkiCommand.Init.class, PkiCommand.Ocsp.class, PkiCommand.Revoke.class, PkiCommand.Crl.class, PkiCommand.Enroll.class})
final class PkiCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = {
        "Generates the development trust world as PEM files.",
        "",
        "Generates the whole development trust world as readable PEM files in DIR (what is",
        "already there is kept): card root and user-certification sub-CA, smartphone CA, municipal",
        "signing CA with the demo municipality's signer, store-terminal CA with one copier, the",
        "service CA with the gateway's and issuers' certificates, the OCSP responder's certificates,",
        "and a CRL for every CA. DIR/README.txt (and docs/PKI.md) explain the layout."
      })
  static final class Init implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "Where to write it, e.g. var/pki.")
    Path dir;

    @Override
    public Integer call() {
      TrustWorld world = TrustWorld.openOrCreate(dir);
      world.gatewayServer();
      world.gatewayClient();
      world.issuerServer();
      world.terminal("kofu-mart", "store-0001", "copier-01");
      world.municipalSigner(Seeder.DEMO_MUNICIPALITY, "東京都千代田区");
      world.ocspAuthorities().forEach(world::ocspResponder);
      world.publishCrls();
      System.out.println("trust world in " + world.directory() + " (see README.txt there)");
      return 0;
    }
  }

  @Command(
      name = "ocsp",
      mixinStandardHelpOptions = true,
      description = {
        "Runs the OCSP responder and CRL service until Ctrl-C.",
        "",
        "Answers OCSP requests (RFC 6960; POST /ocsp, GET /ocsp/BASE64) for the card and",
        "smartphone CAs, and serves every CA's CRL at /crl/NAME.crl (card-ca, smartphone-ca,",
        "terminal-ca, ...), both from the trust world in DIR as it is at each request: what",
        "./kofu pki revoke writes is seen at once. ./kofu demo and ./kofu gateway run one inside."
      })
  static final class Ocsp implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Option(names = "--dir", defaultValue = "var/pki", paramLabel = "DIR", description = "The trust world. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @picocli.CommandLine.Option(names = "--listen", defaultValue = "127.0.0.1:8889", paramLabel = "HOST:PORT", description = "Where to listen (HTTP). Default: ${DEFAULT-VALUE}.")
    java.net.InetSocketAddress listen;

    @Override
    public Integer call() throws Exception {
      TrustWorld world = TrustWorld.openOrCreate(dir);
      world.ocspAuthorities().forEach(world::ocspResponder);
      jp.kofu.pki.ocsp.OcspResponder responder = jp.kofu.pki.ocsp.OcspResponder.start(world, listen);
      Runtime.getRuntime().addShutdownHook(new Thread(responder::close, "kofu-ocsp-shutdown"));
      System.out.println("OCSP responder on " + responder.ocspUri() + "; CRLs at " + responder.baseUri() + "/crl/NAME.crl; Ctrl-C stops it");
      for (var ca : world.authorities()) {
        System.out.println("  " + responder.crlUri(ca));
      }
      new java.util.concurrent.CountDownLatch(1).await();
      return 0;
    }
  }

  /** RFC 5280 revocation reasons, as a person types them. */
  enum RevocationReason {
    unspecified(org.bouncycastle.asn1.x509.CRLReason.unspecified),
    keyCompromise(org.bouncycastle.asn1.x509.CRLReason.keyCompromise),
    affiliationChanged(org.bouncycastle.asn1.x509.CRLReason.affiliationChanged),
    superseded(org.bouncycastle.asn1.x509.CRLReason.superseded),
    cessationOfOperation(org.bouncycastle.asn1.x509.CRLReason.cessationOfOperation);

    final int code;

    RevocationReason(int code) {
      this.code = code;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Revokes a card, a smartphone credential or a copier's certificate.",
        "",
        "Writes the issuing CA's revoked.txt and a fresh crl.pem. A running OCSP responder",
        "(./kofu pki ocsp, or the one inside ./kofu gateway) answers 'revoked' at once; a gateway",
        "refuses the card within its revocation max-staleness (docs/SECURITY.md)."
      })
  static final class Revoke implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Option(names = "--dir", defaultValue = "var/pki", paramLabel = "DIR", description = "The trust world. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
      @picocli.CommandLine.Option(names = "--card", paramLabel = "SERIAL", description = "A card's certificate serial (hex, as in DATA/wallet/cards.csv).")
      String card;

      @picocli.CommandLine.Option(names = "--smartphone", paramLabel = "SERIAL", description = "A smartphone credential's serial (hex).")
      String smartphone;

      @picocli.CommandLine.Option(names = "--terminal", paramLabel = "CHAIN/STORE/TERMINAL", description = "A copier, e.g. kofu-mart/store-0001/copier-01.")
      String terminal;
    }

    @picocli.CommandLine.Option(names = "--reason", defaultValue = "affiliationChanged", description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE} (a move).")
    RevocationReason reason;

    @Override
    public Integer call() {
      TrustWorld world = TrustWorld.openOrCreate(dir);
      String what;
      if (target.terminal != null) {
        String[] p = target.terminal.split("/");
        if (p.length != 3) {
          System.err.println("--terminal: '" + target.terminal + "' (expected: CHAIN/STORE/TERMINAL)");
          return 2;
        }
        try {
          world.revokeTerminal(p[0], p[1], p[2], reason.code);
        } catch (IllegalArgumentException e) {
          System.err.println(e.getMessage());
          return 1;
        }
        what = "terminal " + target.terminal;
      } else {
        String serial = target.card != null ? target.card : target.smartphone;
        if (!serial.matches("[0-9a-fA-F]{1,40}")) {
          System.err.println("serial: '" + serial + "' (expected: hexadecimal, e.g. 5f3a9c...)");
          return 2;
        }
        var ca = target.card != null ? world.cardCa() : world.smartphoneCa();
        world.revoke(ca, new java.math.BigInteger(serial, 16), reason.code);
        what = (target.card != null ? "card " : "smartphone credential ") + serial.toLowerCase(java.util.Locale.ROOT);
      }
      System.out.println("revoked " + what + " (" + reason + "); CRLs in " + world.directory() + " republished");
      return 0;
    }
  }

  @Command(
      name = "crl",
      mixinStandardHelpOptions = true,
      description = {
        "Re-signs every CA's crl.pem now.",
        "",
        "For gateways that read CRLs from files: a CRL older than their revocation max-staleness",
        "is not used (they fail closed), so run this more often than that, e.g. from cron."
      })
  static final class Crl implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Option(names = "--dir", defaultValue = "var/pki", paramLabel = "DIR", description = "The trust world. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Override
    public Integer call() {
      TrustWorld world = TrustWorld.openOrCreate(dir);
      world.publishCrls();
      System.out.println("CRLs re-signed in " + world.directory());
      return 0;
    }
  }

  @Command(
      name = "enroll",
      mixinStandardHelpOptions = true,
      description = {
        "Issues a copier's client certificate for a vendor's own key, from its CSR.",
        "",
        "Reads a PKCS#10 request (PEM or DER), checks that it is signed by the key it names (RSA",
        "2048+ or EC P-256/P-384, SHA-256 or stronger) and that its subject names the copier as",
        "the gateway reads it: O=store chain, OU=store, CN=terminal (C=JP allowed), each 1..64 of",
        "A-Z a-z 0-9 . _ -. Writes the certificate, signed by the development store-terminal CA,",
        "to DIR/terminal/copiers/O/OU/CN/cert.pem (and to --out). The key never leaves the vendor.",
        "Development trust world only (docs/PKI.md, 'Enrol your own copier')."
      })
  static final class Enroll implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Option(names = "--dir", defaultValue = "var/pki", paramLabel = "DIR", description = "The trust world. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @picocli.CommandLine.Option(names = "--csr", required = true, paramLabel = "FILE", description = "The certificate request, PEM or DER.")
    Path csr;

    @picocli.CommandLine.Option(names = "--out", paramLabel = "FILE", description = "Also write the certificate (PEM) here.")
    Path out;

    @picocli.CommandLine.Option(names = "--replace", description = "Replace a copier of the same name, revoking its certificate (superseded).")
    boolean replace;

    @Override
    public Integer call() {
      byte[] request;
      try {
        request = java.nio.file.Files.readAllBytes(csr);
      } catch (java.io.IOException e) {
        System.err.println("--csr: cannot read " + csr + " (" + e.getClass().getSimpleName() + ")");
        return 2;
      }
      TrustWorld world = TrustWorld.openOrCreate(dir);
      jp.kofu.pki.TerminalEnrollment.Enrolled e;
      try {
        e = jp.kofu.pki.TerminalEnrollment.enroll(world, request, replace);
      } catch (jp.kofu.pki.TerminalEnrollment.RefusedException refused) {
        System.err.println("refused: " + refused.getMessage());
        return 1;
      }
      if (out != null) {
        jp.kofu.pki.Pem.write(out, e.certificate());
      }
      System.out.println(
          "enrolled copier " + e.storeChain() + "/" + e.store() + "/" + e.terminal() + ": certificate "
              + jp.kofu.pki.X509.serialHex(e.certificate()) + " in " + e.certificateFile() + (out == null ? "" : " and " + out)
              + "; it is trusted by gateways that trust " + world.directory().resolve("terminal/ca/cert.pem"));
      return 0;
    }
  }
}

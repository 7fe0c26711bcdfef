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
    subcommands = {PkiCommand.Init.class})
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
        "service CA with the gateway's and issuers' certificates. DIR/README.txt explains the layout."
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
      System.out.println("trust world in " + world.directory() + " (see README.txt there)");
      return 0;
    }
  }
}

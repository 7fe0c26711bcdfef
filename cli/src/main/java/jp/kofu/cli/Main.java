package jp.kofu.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kofu}: every command of the system behind one launcher. */
@Command(
    name = "kofu",
    mixinStandardHelpOptions = true,
    version = "kofu 0.1.0",
    description = {
      "Convenience-store certificate issuance, done right.",
      "",
      "Start with @|bold ./kofu demo|@: it builds a development world under ./var (trust",
      "world, a seeded municipality, a gateway), drives simulated copiers through it and",
      "writes signed certificates under ./out."
    },
    subcommands = {
      DemoCommand.class,
      GatewayCommand.class,
      IssuerCommand.class,
      SimCommand.class,
      PkiCommand.class,
      VerifyCommand.class,
      SettleCommand.class,
      AuditCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    // From the first record on, java.util.logging (grpc-java, the JDK's HTTP server) goes through
    // SLF4J: one format on stderr.
    jp.kofu.gateway.Gateway.bridgeJavaUtilLogging();
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}

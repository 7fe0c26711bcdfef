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
      "world, a seeded municipality, a gateway), drives simulated copiers through it",
      "and writes signed certificates under ./out. Exit status: 0 done, 1 failed",
      "(the message says why), 2 a wrong command line."
    },
    subcommands = {
      DemoCommand.class,
      GatewayCommand.class,
      DevCommand.class,
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
    CommandLine cl = Errors.install(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true));
    reflowDescriptions(cl);
    return cl;
  }

  /**
   * Joins each paragraph of a command's description (lines up to an empty one) into one line, so
   * that picocli wraps it once to the terminal's 80 columns: a line written a little too long is
   * not wrapped a second time into a ragged one-word line.
   */
  private static void reflowDescriptions(CommandLine cl) {
    var usage = cl.getCommandSpec().usageMessage();
    java.util.List<String> paragraphs = new java.util.ArrayList<>();
    StringBuilder p = new StringBuilder();
    for (String line : usage.description()) {
      if (line.isBlank()) {
        if (!p.isEmpty()) {
          paragraphs.add(p.toString());
          p.setLength(0);
        }
        paragraphs.add("");
      } else {
        p.append(p.isEmpty() ? "" : " ").append(line.strip());
      }
    }
    if (!p.isEmpty()) {
      paragraphs.add(p.toString());
    }
    usage.description(paragraphs.toArray(String[]::new));
    cl.getSubcommands().values().stream().distinct().forEach(Main::reflowDescriptions);
  }
}

package jp.kofu.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.kofu.gateway.GatewayAssembly;
import jp.kofu.gateway.config.ConfigException;
import jp.kofu.gateway.config.ConfigFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kofu gateway}: with {@code --config}, the production gateway (only what the file names);
 * without, the development world, as {@code kofu dev gateway}.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the gateway until Ctrl-C.",
      "",
      "With --config FILE: the production gateway. It uses only what the file",
      "names (certificates, trust anchors, secrets, journal, adapters; see",
      "docs/CONFIGURATION.md and docs/OPERATIONS.md), never generates a key and",
      "never starts a stand-in service. A bad file is refused with its file, line",
      "and key.",
      "",
      "Without --config: the development world (as kofu dev gateway)."
    })
final class GatewayCommand implements Callable<Integer> {
  @Mixin DataDir data;

  @Option(names = "--port", defaultValue = "8443", description = "Development world: TCP port on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--verify-port",
      defaultValue = "8480",
      description = "Development world: port of the verification page. Default: ${DEFAULT-VALUE}.")
  int verifyPort;

  @Mixin AsOfOption asOf;

  @Option(names = "--config", paramLabel = "FILE", description = "A kofu-gateway.yaml: run the production gateway it describes.")
  Path config;

  @Override
  public Integer call() throws Exception {
    if (config == null) {
      return DevCommand.runDevelopmentGateway(data.dir, port, verifyPort, asOf);
    }
    if (asOf.set()) {
      System.err.println("kofu gateway: --as-of: only for the development world (without --config); a production gateway runs on the system clock");
      return 2;
    }
    GatewayAssembly gateway;
    try {
      ConfigFile file = ConfigFile.load(config);
      LogFormat.apply(file.config().logging().format());
      gateway = GatewayAssembly.start(file);
    } catch (ConfigException e) {
      System.err.println("kofu gateway: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "kofu-shutdown"));
    System.out.println("kofu gateway listening on " + gateway.gateway().address() + " (configuration " + config + "); Ctrl-C stops it");
    var page = gateway.gateway().verificationAddress();
    if (page != null) {
      System.out.println("  verification page: http://" + page.getHostString() + ":" + page.getPort() + "/");
    }
    gateway.gateway().awaitTermination();
    return 0;
  }
}

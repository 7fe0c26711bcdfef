package jp.kofu.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.kofu.gateway.config.ConfigException;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kofu dev}: the development world (generated trust world, seeded registry, stand-in services). */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {"The development world: never for production.", ""},
    subcommands = {DevCommand.Gateway.class})
final class DevCommand {
  /** {@code kofu dev gateway}. */
  @Command(
      name = "gateway",
      mixinStandardHelpOptions = true,
      description = {
        "Runs the development gateway until Ctrl-C.",
        "",
        "Generates (on first use) a development trust world, a seeded registry and",
        "a journal under --data, starts a stand-in OCSP responder and CRL service,",
        "and runs the gateway on them. Copiers connect with mutual TLS using",
        "terminal certificates of DATA/pki/terminal/ca; clients trust",
        "DATA/pki/service/ca/cert.pem. For production: kofu gateway --config FILE."
      })
  static final class Gateway implements Callable<Integer> {
    @Mixin DataDir data;

    @Option(names = "--port", defaultValue = "8443", description = "TCP port on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--verify-port", defaultValue = "8480", description = "Port of the verification page. Default: ${DEFAULT-VALUE}.")
    int verifyPort;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "A kofu-gateway.yaml; the world fills in what it does not name (tls, trust, secrets, revocation).")
    Path config;

    @Mixin AsOfOption asOf;

    @Override
    public Integer call() throws Exception {
      if (config != null) {
        if (asOf.set()) {
          System.err.println("kofu dev gateway: --as-of: not with --config (expected: one of them)");
          return 2;
        }
        EmbeddedWorld.Options options;
        try {
          options = EmbeddedWorld.options().config(jp.kofu.gateway.config.GatewayConfig.load(config));
        } catch (ConfigException e) {
          System.err.println("kofu dev gateway: " + e.getMessage());
          return 1;
        }
        return run(options, config.toString());
      }
      return runDevelopmentGateway(data.dir, port, verifyPort, asOf);
    }
  }

  static int runDevelopmentGateway(Path dir, int port, int verifyPort, AsOfOption asOf) throws InterruptedException {
    EmbeddedWorld.Options options = EmbeddedWorld.options().dataDir(dir).port(port).verificationPort(verifyPort);
    if (asOf != null && asOf.set()) {
      try {
        options.clock(asOf.clock(dir, java.time.Clock.systemUTC(), c -> EmbeddedWorld.options().clock(c)));
      } catch (IllegalArgumentException e) {
        System.err.println("kofu gateway: " + e.getMessage());
        return 2;
      }
    }
    return run(options, dir.toString());
  }

  static int run(EmbeddedWorld.Options options, String where) throws InterruptedException {
    System.out.println("kofu: DEVELOPMENT WORLD (" + where + "): generated CA keys, seeded residents, stand-in OCSP/CRL service.");
    System.out.println("kofu: not for production; for that: kofu gateway --config FILE (docs/OPERATIONS.md)");
    EmbeddedWorld world;
    try {
      world = EmbeddedWorld.start(options);
    } catch (ConfigException e) {
      System.err.println("kofu gateway: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(world::close, "kofu-shutdown"));
    System.out.println("kofu gateway listening on " + world.address() + "; Ctrl-C stops it");
    System.out.println("  trust anchor for clients: " + world.pki().directory().resolve("service/ca/cert.pem"));
    var page = world.gateway().verificationAddress();
    System.out.println("  verification page: http://" + page.getHostString() + ":" + page.getPort() + "/");
    var verification = world.gateway().verificationGrpcAddress();
    if (verification != null) {
      System.out.println("  kofu.verify.v1 (TLS, no client certificate): " + verification.getHostString() + ":" + verification.getPort());
    }
    world.gateway().awaitTermination();
    return 0;
  }
}

package jp.kofu.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kofu gateway}: runs the gateway until interrupted. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the gateway until Ctrl-C.",
      "",
      "Runs the gateway on the embedded world (trust world, registry and journal under --data)",
      "until Ctrl-C, then shuts down gracefully. Copiers connect with mutual TLS using terminal",
      "certificates of DATA/pki/terminal/ca; clients trust DATA/pki/service/ca/cert.pem."
    })
final class GatewayCommand implements Callable<Integer> {
  @Mixin DataDir data;

  @Option(names = "--port", defaultValue = "8443", description = "TCP port on 127.0.0.1 (without --config). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--verify-port", defaultValue = "8480", description = "TCP port on 127.0.0.1 of the verification page (without --config). Default: ${DEFAULT-VALUE}.")
  int verifyPort;

  @Option(names = "--config", paramLabel = "FILE", description = "A kofu-gateway.yaml (see docs/CONFIGURATION.md); its data directory replaces --data.")
  Path config;

  @Override
  public Integer call() throws Exception {
    GatewayConfig loaded = config != null ? GatewayConfig.load(config) : null;
    if (loaded != null) {
      LogFormat.apply(loaded.logging().format());
    }
    EmbeddedWorld.Options options =
        loaded != null ? EmbeddedWorld.options().config(loaded) : EmbeddedWorld.options().dataDir(data.dir).port(port).verificationPort(verifyPort);
    EmbeddedWorld world = EmbeddedWorld.start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(world::close, "kofu-shutdown"));
    System.out.println("kofu gateway listening on " + world.address() + "; Ctrl-C stops it");
    System.out.println("  trust anchor for clients: " + world.pki().directory().resolve("service/ca/cert.pem"));
    var page = world.gateway().verificationAddress();
    System.out.println("  verification page: http://" + page.getHostString() + ":" + page.getPort() + "/ (kofu.verify.v1 on the gRPC port)");
    world.gateway().awaitTermination();
    return 0;
  }
}

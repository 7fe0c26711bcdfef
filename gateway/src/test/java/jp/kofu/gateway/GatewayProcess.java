package jp.kofu.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.embedded.EmbeddedWorld;

/**
 * A gateway in a process of its own, for tests that kill it: {@code GatewayProcess CONFIG READY}
 * starts the world CONFIG names, writes its port to READY (atomically), and serves until killed.
 */
public final class GatewayProcess {
  private GatewayProcess() {}

  public static void main(String[] args) throws Exception {
    EmbeddedWorld world = EmbeddedWorld.start(EmbeddedWorld.options().config(GatewayConfig.load(Path.of(args[0]))).clock(jp.kofu.issuer.TestTime.runningInServiceHours()));
    Path ready = Path.of(args[1]);
    Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(world.address().getPort()));
    Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE);
    world.gateway().awaitTermination();
  }
}

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

  /**
   * In a world's data directory: "REAL_EPOCH_MS CLOCK_EPOCH_MS", one clock for every gateway of a
   * cluster test (else each process's clock starts at the last business morning when it starts,
   * and a gateway restarted later runs behind its peers).
   */
  public static final String CLOCK_ORIGIN = "test-clock-origin";

  public static void main(String[] args) throws Exception {
    GatewayConfig config = GatewayConfig.load(Path.of(args[0]));
    java.time.Clock clock = jp.kofu.testing.FakeClock.runningInServiceHours();
    Path origin = config.data().resolve(CLOCK_ORIGIN);
    if (Files.exists(origin)) {
      String[] t = Files.readString(origin).strip().split(" ");
      clock = java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofMillis(Long.parseLong(t[1]) - Long.parseLong(t[0])));
    }
    EmbeddedWorld world = EmbeddedWorld.start(EmbeddedWorld.options().config(config).clock(clock));
    Path ready = Path.of(args[1]);
    Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(world.address().getPort()));
    Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE);
    world.gateway().awaitTermination();
  }
}

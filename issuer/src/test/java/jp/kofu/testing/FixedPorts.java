package jp.kofu.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for a server that a test must start, stop and start again on the same port (a killed
 * gateway, a stopped PostgreSQL), or whose port goes into a configuration before it starts.
 *
 * <p>A port asked of the kernel with {@code new ServerSocket(0)} and closed again is an
 * <em>ephemeral</em> port: the kernel hands it out again, to the next listener bound to port 0 or
 * as the source port of the next outgoing connection (a JDBC connection, an HTTP client), and the
 * test's own server then fails with "Address already in use". A port below the kernel's ephemeral
 * range is never handed out that way; this class picks one there that is free now and that it has
 * not given out before in this JVM.
 */
public final class FixedPorts {
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  private FixedPorts() {}

  /** A free loopback port below the ephemeral range, not given out before in this JVM. */
  public static int take() {
    int below = ephemeralLow();
    int from = Math.max(1024, below - 12_000);
    for (int tries = 0; tries < 1_000; tries++) {
      int port = ThreadLocalRandom.current().nextInt(from, below);
      if (!GIVEN.add(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // in use: try another
      }
    }
    throw new UncheckedIOException(new IOException("no free port below " + below));
  }

  /** The low end of the kernel's ephemeral range (Linux), or IANA's 49152 elsewhere. */
  static int ephemeralLow() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      if (Files.isReadable(range)) {
        // Read as a stream: a /proc file has size 0, and Files.readString trusts the size.
        try (var in = Files.newBufferedReader(range)) {
          return Integer.parseInt(in.readLine().trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return 49_152;
  }
}

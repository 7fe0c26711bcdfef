package jp.kofu.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.embedded.EmbeddedWorld;

/**
 * A gateway in a process of its own, for tests that kill it: {@code GatewayProcess CONFIG READY}
 * starts the world CONFIG names, writes {@code READY.up} ("MILLIS_SINCE_JVM_START CPU_MILLIS")
 * and then its port to READY (atomically), and serves until killed. With a third argument {@code
 * --exit} it stops again once started (a training run, see {@link Launcher}).
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
    long configured = ManagementFactory.getRuntimeMXBean().getUptime();
    EmbeddedWorld world = EmbeddedWorld.start(EmbeddedWorld.options().config(config).clock(clock));
    long up = ManagementFactory.getRuntimeMXBean().getUptime();
    long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    System.out.printf("gateway process up %d ms after the JVM started (configuration read after %d ms), %d ms of CPU%n", up, configured, cpu);
    if (args.length > 2 && args[2].equals("--exit")) {
      world.close();
      return;
    }
    Path ready = Path.of(args[1]);
    Files.writeString(ready.resolveSibling(ready.getFileName() + ".up"), up + " " + cpu);
    Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(world.address().getPort()));
    Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE);
    world.gateway().awaitTermination();
  }

  /**
   * A started gateway process: its address, how long it took from launch until it listened (wall
   * clock), and the CPU time it had used by then.
   */
  public record Child(Process process, InetSocketAddress address, long startMillis, long cpuMillis) {
    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Starts gateway processes of this test JVM's classpath, cheaply enough to start and restart
   * several on a busy machine. A gateway's start-up is mostly loading and linking classes (about
   * 6 s of CPU time cold); so the processes share an ahead-of-time cache of them (JDK 25's AOT
   * cache, JEP 483/514), made once by a training run that starts a gateway and stops it, and kept
   * in {@code cacheDir} for later runs as long as no class or jar of the classpath is newer. The
   * AOT cache accepts classes from jars only, so the class directories of the classpath are packed
   * into one jar there first. Without {@code kofu.test.aot=false}; whatever fails here (another
   * JDK) leaves the processes starting without the cache.
   */
  public static final class Launcher {
    static final List<String> JVM = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8");
    private final String classpath;
    private final Path aot;
    private final Set<Process> started = new HashSet<>();

    private Launcher(String classpath, Path aot) {
      this.classpath = classpath;
      this.aot = aot;
    }

    /**
     * A launcher for gateways like the one {@code trainingConfig} describes (which must be able
     * to start and stop on its own: free ports, its journal reachable). Trains the cache first if
     * it is missing or out of date, logging to {@code logDir/training.log}.
     */
    public static Launcher prepare(Path cacheDir, Path trainingConfig, Path logDir) throws IOException, InterruptedException {
      String cp = System.getProperty("java.class.path");
      // The AOT cache (-XX:AOTCacheOutput) came with JDK 25; an older JDK 21+ starts without it.
      if (!Boolean.parseBoolean(System.getProperty("kofu.test.aot", "true")) || Runtime.version().feature() < 25) {
        return new Launcher(cp, null);
      }
      Files.createDirectories(cacheDir);
      List<String> entries = new ArrayList<>();
      List<Path> dirs = new ArrayList<>();
      Path jar = cacheDir.resolve("classes.jar");
      for (String e : cp.split(java.io.File.pathSeparator)) {
        Path p = Path.of(e);
        if (Files.isDirectory(p)) {
          if (dirs.isEmpty()) {
            entries.add(jar.toAbsolutePath().toString());
          }
          dirs.add(p);
        } else if (!e.isEmpty()) {
          entries.add(e);
        }
      }
      if (!Files.exists(jar) || newest(dirs) > Files.getLastModifiedTime(jar).toMillis()) {
        pack(dirs, jar);
      }
      String packed = String.join(java.io.File.pathSeparator, entries);
      Path cache = cacheDir.resolve("gateway.aot");
      long newestJar = jar.toFile().lastModified();
      for (String e : entries) {
        newestJar = Math.max(newestJar, Path.of(e).toFile().lastModified());
      }
      if (!Files.exists(cache) || Files.getLastModifiedTime(cache).toMillis() < newestJar) {
        Path training = cacheDir.resolve("gateway.aot.training");
        Files.deleteIfExists(training);
        List<String> command = new ArrayList<>(java());
        command.addAll(JVM);
        command.addAll(List.of("-XX:AOTCacheOutput=" + training, "-cp", packed, GatewayProcess.class.getName(), trainingConfig.toString(), logDir.resolve("training-ready").toString(), "--exit"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logDir.resolve("training.log").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
          p.destroyForcibly();
        }
        if (p.exitValue() == 0 && Files.exists(training)) {
          Files.move(training, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
          throw new IllegalStateException("the training gateway failed (exit " + p.exitValue() + "):\n" + Files.readString(logDir.resolve("training.log")));
        }
      }
      return new Launcher(packed, cache);
    }

    /** Whether the processes start from the AOT cache. */
    public boolean cached() {
      return aot != null;
    }

    /**
     * Starts the gateway {@code config} describes, logging to {@code dir/gateway-N.log}, and waits
     * until it listens: for its ready file, or its death, or {@code bound}.
     */
    public Child start(Path config, Path dir, int n, Duration bound) throws IOException, InterruptedException {
      Path ready = dir.resolve("ready-" + n);
      Path log = dir.resolve("gateway-" + n + ".log");
      List<String> command = new ArrayList<>(java());
      command.addAll(JVM);
      if (aot != null) {
        command.add("-XX:AOTCache=" + aot);
      }
      command.addAll(List.of("-cp", classpath, GatewayProcess.class.getName(), config.toString(), ready.toString()));
      long launched = System.nanoTime();
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      synchronized (started) {
        started.add(p);
      }
      long deadline = launched + bound.toNanos();
      while (!Files.exists(ready)) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new AssertionError("gateway process " + n + " did not start within " + bound + ":\n" + Files.readString(log));
        }
        Thread.sleep(20);
      }
      long ms = (System.nanoTime() - launched) / 1_000_000;
      String[] up = Files.readString(dir.resolve("ready-" + n + ".up")).strip().split(" ");
      return new Child(p, new InetSocketAddress("127.0.0.1", Integer.parseInt(Files.readString(ready).strip())), ms, Long.parseLong(up[1]));
    }

    /** Kills every process this launcher started. */
    public void killAll() throws InterruptedException {
      synchronized (started) {
        for (Process p : started) {
          p.destroyForcibly();
        }
        for (Process p : started) {
          p.waitFor(30, TimeUnit.SECONDS);
        }
        started.clear();
      }
    }

    /**
     * The command line's start: {@code setsid java}. Each gateway runs in a session of its own, as
     * it would on a host of its own: with the kernel's autogroup scheduling (on by default on
     * desktop and many server kernels) CPU time is shared fairly between sessions, so a gateway in
     * the test's session shares one share with the test JVM and the other gateways; a restarted
     * one then gets a sliver of a busy machine (measured: 4.3 s of CPU in 200 s) and takes minutes
     * to start. {@code setsid} execs in place (a child of the JVM is no group leader), so the
     * process is the JVM itself and SIGKILL reaches it.
     */
    private static List<String> java() {
      String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      return Files.isExecutable(Path.of("/usr/bin/setsid")) ? List.of("/usr/bin/setsid", java) : List.of(java);
    }

    private static long newest(List<Path> dirs) throws IOException {
      long newest = 0;
      for (Path d : dirs) {
        try (Stream<Path> files = Files.walk(d)) {
          newest = Math.max(newest, files.mapToLong(f -> f.toFile().lastModified()).max().orElse(0));
        }
      }
      return newest;
    }

    /** The directories' files in one jar, uncompressed; the first directory's copy of a name wins, as on the classpath. */
    private static void pack(List<Path> dirs, Path jar) throws IOException {
      Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
      Set<String> names = new HashSet<>();
      try (OutputStream out = Files.newOutputStream(tmp);
          JarOutputStream j = new JarOutputStream(out)) {
        j.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
        for (Path d : dirs) {
          List<Path> files;
          try (Stream<Path> s = Files.walk(d)) {
            files = s.filter(f -> !f.equals(d)).sorted().toList();
          }
          // Directories too, as the jar plug-in writes them: resource look-ups of a directory
          // (Flyway's migration locations) need them.
          for (Path f : files) {
            boolean directory = Files.isDirectory(f);
            String name = d.relativize(f).toString().replace(java.io.File.separatorChar, '/') + (directory ? "/" : "");
            if (names.add(name)) {
              JarEntry e = new JarEntry(name);
              e.setLastModifiedTime(FileTime.fromMillis(f.toFile().lastModified()));
              j.putNextEntry(e);
              if (!directory) {
                Files.copy(f, j);
              }
              j.closeEntry();
            }
          }
        }
      }
      Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }
}

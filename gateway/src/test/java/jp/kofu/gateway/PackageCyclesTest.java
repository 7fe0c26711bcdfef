package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import jp.kofu.gateway.journal.IssuanceJournal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's package dependencies, read from its compiled classes (every class a class file's
 * constant pool names, signatures included): the issuance journal and authentication do not
 * depend on each other in both directions (not even through other packages), so either can
 * change without the other.
 */
class PackageCyclesTest {
  private static final String ROOT = "jp/kofu/gateway/";

  /** Package (below jp.kofu.gateway, "" for the root) → the gateway packages its classes use. */
  private static Map<String, Set<String>> uses;

  @BeforeAll
  static void read() throws IOException, URISyntaxException {
    Path classes = Path.of(IssuanceJournal.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(classes.resolve(ROOT))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String from = packageOf(classes.relativize(f).toString().replace('\\', '/'));
        Set<String> to = uses.computeIfAbsent(from, k -> new TreeSet<>());
        try (InputStream in = Files.newInputStream(f)) {
          for (String name : referencedClasses(in)) {
            if (name.startsWith(ROOT)) {
              String p = packageOf(name);
              if (!p.equals(from)) {
                to.add(p);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void authenticationDoesNotDependOnTheJournal() {
    assertThat(uses.get("auth")).as("packages jp.kofu.gateway.auth uses").doesNotContain("journal");
  }

  @Test
  void theJournalAndAuthenticationAreOnNoCycleTogether() {
    assertThat(uses).containsKeys("journal", "auth");
    // The journal uses authentication's keys (Hmac, Keyring); so authentication must not reach
    // the journal by any path.
    assertThat(pathBetween("auth", "journal")).as("a path from jp.kofu.gateway.auth to jp.kofu.gateway.journal").isEmpty();
  }

  /** A chain of package dependencies from {@code from} to {@code to}, if there is one. */
  private static List<String> pathBetween(String from, String to) {
    Map<String, String> cameFrom = new TreeMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(from));
    cameFrom.put(from, null);
    while (!queue.isEmpty()) {
      String p = queue.poll();
      if (p.equals(to)) {
        List<String> path = new java.util.ArrayList<>();
        for (String at = to; at != null; at = cameFrom.get(at)) {
          path.add(0, at);
        }
        return path;
      }
      for (String next : uses.getOrDefault(p, Set.of())) {
        if (!cameFrom.containsKey(next)) {
          cameFrom.put(next, p);
          queue.add(next);
        }
      }
    }
    return List.of();
  }

  private static String packageOf(String classFile) {
    String rest = classFile.substring(ROOT.length());
    int slash = rest.lastIndexOf('/');
    return slash < 0 ? "" : rest.substring(0, slash).replace('/', '.');
  }

  /**
   * The internal names of the classes a class file refers to: its Class constants, and the classes
   * named in descriptors and signatures (UTF-8 constants holding {@code Lname;}).
   */
  static Set<String> referencedClasses(InputStream classFile) throws IOException {
    DataInputStream in = new DataInputStream(classFile);
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    Set<Integer> classIndexes = new HashSet<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classIndexes.add(in.readUnsignedShort());
        case 8, 16, 19, 20 -> in.readUnsignedShort();
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        case 5, 6 -> {
          in.readLong();
          i++;
        }
        default -> throw new IOException("constant pool tag " + tag);
      }
    }
    Set<String> out = new TreeSet<>();
    for (int i : classIndexes) {
      String name = utf8[i];
      out.add(name.startsWith("[") ? name.replaceAll("^\\[+L?|;$", "") : name);
    }
    for (String s : utf8) {
      if (s == null) {
        continue;
      }
      for (int at = s.indexOf('L'); at >= 0; at = s.indexOf('L', at + 1)) {
        int end = s.indexOf(';', at);
        if (end > at && s.startsWith(ROOT, at + 1)) {
          out.add(s.substring(at + 1, end));
        }
      }
    }
    return out;
  }
}

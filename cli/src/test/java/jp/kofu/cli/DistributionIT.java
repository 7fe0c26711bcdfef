package jp.kofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as an operator gets it: unpacked into an empty directory far from the
 * source tree, its {@code bin/kofu} runs commands with nothing but a Java runtime.
 */
class DistributionIT {
  @TempDir static Path root;
  static Path home;

  @BeforeAll
  static void unpack() throws Exception {
    Path archive = Path.of(System.getProperty("kofu.dist"));
    assertThat(archive.getFileName().toString()).isEqualTo("kofu-" + System.getProperty("kofu.version") + ".tar.gz");
    assertThat(run(root, List.of("tar", "-xzf", archive.toString(), "-C", root.toString())).exit()).isZero();
    home = root.resolve("kofu-" + System.getProperty("kofu.version"));
  }

  record Result(int exit, String output) {}

  /** Runs a command in {@code dir} with a bare PATH and JAVA_HOME set to the running JVM. */
  static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", "/usr/bin:/bin");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("HOME", dir.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  @Test
  void holdsTheLauncherLibrariesExamplesAndLicences() throws IOException {
    Path launcher = home.resolve("bin/kofu");
    assertThat(Files.getPosixFilePermissions(launcher)).contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
    assertThat(home.resolve("lib/find-jdk.sh")).isRegularFile();
    try (var jars = Files.list(home.resolve("lib"))) {
      assertThat(jars.map(j -> j.getFileName().toString()).toList())
          .anyMatch(j -> j.startsWith("kofu-cli-"))
          .anyMatch(j -> j.startsWith("kofu-gateway-"))
          .anyMatch(j -> j.startsWith("grpc-netty"));
    }
    assertThat(home.resolve("conf/municipalities-split.yaml")).isRegularFile();
    assertThat(home.resolve("README.md")).isRegularFile();
    assertThat(home.resolve("docs/CONFIGURATION.md")).isRegularFile();
    assertThat(Files.readString(home.resolve("licenses/BIZUDMincho-OFL.txt"))).contains("SIL OPEN FONT LICENSE");
  }

  @Test
  void runsHelpAndARealCommandOutsideTheSourceTree() throws Exception {
    Path work = Files.createDirectories(root.resolve("somewhere-else"));
    Result help = run(work, List.of(home.resolve("bin/kofu").toString(), "--help"));
    assertThat(help.exit()).as(help.output()).isZero();
    assertThat(help.output()).startsWith("Usage: kofu").contains("gateway").contains("verify");

    // Through a symbolic link, as from /usr/local/bin.
    Path link = Files.createSymbolicLink(work.resolve("kofu"), home.resolve("bin/kofu"));
    Result init = run(work, List.of(link.toString(), "pki", "init", "trust"));
    assertThat(init.exit()).as(init.output()).isZero();
    assertThat(work.resolve("trust/municipal/ca/cert.pem")).isRegularFile();
    assertThat(work.resolve("trust/README.txt")).isRegularFile();

    Result missing = run(work, List.of(link.toString(), "verify", "--data", work.toString(), "/nonexistent.pdf"));
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.output()).isEqualTo("kofu verify: no such file: /nonexistent.pdf\n");
  }
}

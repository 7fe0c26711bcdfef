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
    work = Files.createDirectories(root.resolve("somewhere-else"));
    // Through a symbolic link, as from /usr/local/bin.
    kofu = Files.createSymbolicLink(work.resolve("kofu"), home.resolve("bin/kofu")).toString();
    Result init = run(work, List.of(kofu, "pki", "init", "trust"));
    assertThat(init.exit()).as(init.output()).isZero();
  }

  static Path work;
  static String kofu;

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
    Result help = run(work, List.of(home.resolve("bin/kofu").toString(), "--help"));
    assertThat(help.exit()).as(help.output()).isZero();
    assertThat(help.output()).startsWith("Usage: kofu").contains("gateway").contains("verify");

    // pki init (in unpack()) wrote a trust world through the link.
    assertThat(work.resolve("trust/municipal/ca/cert.pem")).isRegularFile();
    assertThat(work.resolve("trust/README.txt")).isRegularFile();

    Result missing = run(work, List.of(kofu, "verify", "--data", work.toString(), "/nonexistent.pdf"));
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.output()).isEqualTo("kofu verify: no such file: /nonexistent.pdf\n");
  }

  /**
   * The issuer server in production mode, from the archive: its TLS identity, the gateways' CA and
   * the signing keys are named files (here from {@code pki init}), the registry is one seeded
   * separately; a gateway's client certificate of that CA is served, one of another CA is not.
   */
  @Test
  void servesAnIssuerServerOnItsOwnPkiOnly() throws Exception {
    Result seed = run(work, List.of(kofu, "issuer", "seed", "--data", "registry", "--municipalities", "1", "--residents", "10"));
    assertThat(seed.exit()).as(seed.output()).isZero();
    Path trust = work.resolve("trust");
    ProcessBuilder pb =
        new ProcessBuilder(
                kofu, "issuer", "serve", "--data", "registry", "--listen", "127.0.0.1:0",
                "--certificate", trust.resolve("service/issuer/cert.pem").toString(),
                "--key", trust.resolve("service/issuer/key.pem").toString(),
                "--client-ca", trust.resolve("service/ca/cert.pem").toString(),
                "--signers", trust.resolve("municipal/signers").toString())
            .directory(work.toFile())
            .redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process server = pb.start();
    try {
      var out = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line;
      int port = -1;
      StringBuilder said = new StringBuilder();
      while (port < 0 && (line = out.readLine()) != null) {
        said.append(line).append('\n');
        var m = java.util.regex.Pattern.compile("listening on .*:(\\d+) for 1 municipalities").matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      assertThat(port).as(said.toString()).isPositive();

      var query = new jp.kofu.issuer.spi.CardQuery(
          jp.kofu.issuer.seed.Seeder.DEMO_MUNICIPALITY,
          new jp.kofu.issuer.spi.CardRef("1a2b", "00".repeat(32), jp.kofu.issuer.spi.CardRef.CredentialKind.CARD),
          jp.kofu.issuer.spi.Relation.ADDRESS, java.time.Instant.now());
      try (var gateway = remote(port, trust.resolve("service/gateway-client"), trust.resolve("service/ca/cert.pem"))) {
        assertThat(gateway.municipalityCodes()).containsExactly(jp.kofu.issuer.seed.Seeder.DEMO_MUNICIPALITY);
        // An unknown card: the server answered, over mutual TLS with the named PKI.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gateway.resolveCard(query))
            .isInstanceOf(jp.kofu.issuer.spi.IssuanceRefusedException.class);
      }
      // The seeded registry's own development world is another CA: its gateway is not let in.
      Path otherWorld = work.resolve("registry/pki");
      jp.kofu.pki.TrustWorld.openOrCreate(otherWorld).gatewayClient();
      try (var stranger = remote(port, otherWorld.resolve("service/gateway-client"), trust.resolve("service/ca/cert.pem"))) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stranger.resolveCard(query))
            .isNotInstanceOf(jp.kofu.issuer.spi.IssuanceRefusedException.class);
      }
    } finally {
      server.destroy();
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static jp.kofu.issuer.spi.IssuerAdapter remote(int port, Path clientCertificate, Path serverAnchor) throws IOException {
    Map<String, String> settings = Map.of(
        "target", "127.0.0.1:" + port, "municipalities", jp.kofu.issuer.seed.Seeder.DEMO_MUNICIPALITY,
        "client-certificate", clientCertificate.toString(), "trust", serverAnchor.toString(), "call-timeout", "20");
    return new jp.kofu.issuer.remote.RemoteIssuerAdapterFactory()
        .create(new jp.kofu.issuer.spi.AdapterContext(settings, Files.createTempDirectory(root, "remote-"), java.time.Clock.systemUTC(), Map.of()));
  }
}

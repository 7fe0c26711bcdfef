package jp.kofu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI image tars that Jib wrote (profile {@code images}): their index, manifest, config and
 * layers as a container runtime reads them, checked by content digest; then the gateway image is
 * started as a runtime would, from its layers alone (unpacked, {@code /proc} mounted, chrooted,
 * as its non-root user, with its entrypoint and environment), where this test may do so (root).
 */
class ImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER = "65532:65532";

  @TempDir Path tmp;

  record Image(Path tar, Path dir, JsonNode config, List<Path> layers) {
    JsonNode container() {
      return config.get("config");
    }

    List<String> strings(String field) {
      List<String> out = new ArrayList<>();
      container().get(field).forEach(n -> out.add(n.asText()));
      return out;
    }
  }

  private static Path images() {
    String dir = System.getProperty("kofu.images");
    assumeTrue(dir != null, "the images profile is off (no dpkg-deb here)");
    return Path.of(dir);
  }

  private Image open(String name) throws Exception {
    Path tar = images().resolve(name);
    assertThat(tar).isRegularFile();
    Path dir = Files.createDirectories(tmp.resolve(name + ".d"));
    exec(List.of("tar", "-xf", tar.toString(), "-C", dir.toString()));
    assertThat(Files.readString(dir.resolve("oci-layout"))).contains("\"imageLayoutVersion\"");
    JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
    JsonNode manifest = JSON.readTree(blob(dir, index.get("manifests").get(0).get("digest").asText()).toFile());
    assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    JsonNode config = JSON.readTree(blob(dir, manifest.get("config").get("digest").asText()).toFile());
    List<Path> layers = new ArrayList<>();
    JsonNode diffIds = config.get("rootfs").get("diff_ids");
    assertThat(manifest.get("layers").size()).isEqualTo(diffIds.size()).isGreaterThanOrEqualTo(2);
    for (int i = 0; i < diffIds.size(); i++) {
      JsonNode layer = manifest.get("layers").get(i);
      assertThat(layer.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
      Path file = blob(dir, layer.get("digest").asText());
      assertThat(Files.size(file)).isEqualTo(layer.get("size").asLong());
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        assertThat("sha256:" + sha256(in)).as("diff_id of layer " + i).isEqualTo(diffIds.get(i).asText());
      }
      layers.add(file);
    }
    return new Image(tar, dir, config, layers);
  }

  /** A blob by digest, checked against it. */
  private static Path blob(Path dir, String digest) throws IOException {
    assertThat(digest).startsWith("sha256:");
    Path file = dir.resolve("blobs/sha256").resolve(digest.substring(7));
    try (InputStream in = Files.newInputStream(file)) {
      assertThat("sha256:" + sha256(in)).isEqualTo(digest);
    }
    return file;
  }

  private static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (DigestInputStream d = new DigestInputStream(in, md)) {
        d.transferTo(java.io.OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Every path in the image with its numeric owner and mode, e.g. "-rwxr-xr-x 0/0 ./opt/java/openjdk/bin/java". */
  private static List<String> listing(Image image) throws Exception {
    List<String> all = new ArrayList<>();
    for (Path layer : image.layers()) {
      // (GNU tar warns on stderr about libarchive's extended headers in Jib's layers.)
      all.addAll(exec(List.of("sh", "-c", "tar -tzv --numeric-owner -f \"$0\" 2>/dev/null", layer.toString())).lines().toList());
    }
    return all;
  }

  private static String exec(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(command + ":\n" + out).isZero();
    return out;
  }

  private static void assertCommonShape(Image image, List<String> listing) {
    assertThat(image.config().get("os").asText()).isEqualTo("linux");
    assertThat(image.config().get("architecture").asText()).isEqualTo("amd64");
    assertThat(image.container().get("User").asText()).isEqualTo(USER);
    assertThat(image.strings("Env")).contains("JAVA_HOME=/opt/java/openjdk").anyMatch(e -> e.startsWith("PATH=/opt/java/openjdk/bin:"));
    assertThat(image.strings("Entrypoint")).startsWith("java").contains("-Djava.awt.headless=true", "-cp", "@/app/jib-classpath-file").endsWith("jp.kofu.cli.Main");
    assertThat(listing)
        .anyMatch(l -> l.matches("-rwx.* 0/0 .*\\./opt/java/openjdk/bin/java"))
        .anyMatch(l -> l.endsWith("lib/x86_64-linux-gnu/libc.so.6"))
        .anyMatch(l -> l.endsWith("lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"))
        .anyMatch(l -> l.matches("d.* 65532/65532 .*home/nonroot/?"))
        .anyMatch(l -> l.contains(" app/libs/kofu-gateway-"))
        .anyMatch(l -> l.endsWith(" app/jib-classpath-file"))
        .anyMatch(l -> l.endsWith("usr/share/doc/libc6/copyright"))
        .noneMatch(l -> l.endsWith("bin/sh") || l.endsWith("bin/bash") || l.endsWith("bin/apt-get"));
    // Nothing but the non-root user's home belongs to anyone but root; nothing is setuid.
    assertThat(listing).allSatisfy(l -> assertThat(l.contains(" 0/0 ") || l.contains("home/nonroot")).as(l).isTrue());
    assertThat(listing).noneMatch(l -> l.matches("^...[sS].*"));
  }

  @Test
  void theGatewayImageIsNonRootWithItsPortsAndStartsFromItsLayersAlone() throws Exception {
    Image image = open("kofu-gateway-image.tar");
    List<String> listing = listing(image);
    assertCommonShape(image, listing);
    assertThat(image.strings("Cmd")).containsExactly("gateway", "--config", "/etc/kofu/gateway.yaml");
    List<String> ports = new ArrayList<>();
    image.container().get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertThat(ports).containsExactlyInAnyOrder("8443/tcp", "8444/tcp", "8480/tcp", "9464/tcp");

    assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare"))
        && Files.isExecutable(Path.of("/usr/sbin/chroot")),
        "starting the image needs root (unshare, mount, chroot)");
    Path root = Files.createDirectories(tmp.resolve("rootfs"));
    for (Path layer : image.layers()) {
      exec(List.of("tar", "-xzf", layer.toString(), "-C", root.toString()));
    }
    Files.createDirectories(root.resolve("proc"));
    List<String> command = new ArrayList<>(List.of(
        "/usr/bin/unshare", "--mount", "--fork", "--", "/bin/sh", "-c",
        "/bin/mount -t proc proc \"$0/proc\" && exec /usr/sbin/chroot --userspec=" + USER + " \"$0\" \"$@\"",
        root.toString()));
    command.addAll(image.strings("Entrypoint"));
    command.addAll(List.of("pki", "init", "/tmp/trust"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().clear();
    for (String e : image.strings("Env")) {
      pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
    }
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("trust world in /tmp/trust");
    Path cert = root.resolve("tmp/trust/municipal/ca/cert.pem");
    assertThat(cert).isRegularFile();
    assertThat(Files.getAttribute(cert, "unix:uid")).as("written by the image's user").isEqualTo(65532);
  }

  @Test
  void theIssuerServerImageServesOnItsPortAsTheSameUser() throws Exception {
    Image image = open("kofu-issuer-image.tar");
    assertCommonShape(image, listing(image));
    assertThat(image.strings("Cmd")).startsWith("issuer", "serve").contains("--listen", "0.0.0.0:9443");
    List<String> ports = new ArrayList<>();
    image.container().get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertThat(ports).containsExactly("9443/tcp");
  }
}

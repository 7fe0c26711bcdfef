package jp.kofu.gateway.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret and key files: owner-only, except a root-owned file its group may read when the gateway
 * is not root (a Kubernetes Secret mounted with fsGroup, mode 0440).
 */
class SecretFileModesTest {
  @TempDir Path dir;

  @Test
  void ownerOnlyIsAcceptedGroupOrOthersAreRefused() throws Exception {
    Path key = secret("0600", "rw-------");
    assertThatCode(() -> TrustFiles.ownerOnly("secrets.session.file", key)).doesNotThrowAnyException();
    Path shared = secret("0644", "rw-r--r--");
    assertThatThrownBy(() -> TrustFiles.ownerOnly("secrets.session.file", shared))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("secrets.session.file")
        .hasMessageContaining("readable by group or others");
  }

  @Test
  void aRootOwnedFileItsGroupMayReadIsAcceptedOnlyForANonRootGateway() throws Exception {
    Path mounted = secret("0440", "r--r-----");
    assumeTrue("root".equals(Files.getOwner(mounted).getName()), "needs files owned by root (as a mounted Secret is)");
    String user = System.getProperty("user.name");
    try {
      System.setProperty("user.name", "nonroot");
      assertThatCode(() -> TrustFiles.ownerOnly("tls.key", mounted)).doesNotThrowAnyException();
      Path everyone = secret("0444", "r--r--r--");
      assertThatThrownBy(() -> TrustFiles.ownerOnly("tls.key", everyone)).isInstanceOf(ConfigException.class);
      Path groupWrites = secret("0460", "r--rw----");
      assertThatThrownBy(() -> TrustFiles.ownerOnly("tls.key", groupWrites)).isInstanceOf(ConfigException.class);
      System.setProperty("user.name", "root");
      assertThatThrownBy(() -> TrustFiles.ownerOnly("tls.key", mounted)).isInstanceOf(ConfigException.class);
    } finally {
      System.setProperty("user.name", user);
    }
  }

  private Path secret(String name, String mode) throws Exception {
    Path p = Files.writeString(dir.resolve(name), "secret");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    return p;
  }
}

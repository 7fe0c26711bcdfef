package jp.kofu.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verification.grpc-listen and verification.trusted-proxies. */
class VerificationListenersConfigTest {
  @TempDir Path dir;

  Path write(String yaml) throws IOException {
    Path f = dir.resolve("kofu-gateway.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void theGrpcListenerDefaultsToThePagesHostOnPort8444OrAnyFreePortWhenThePageTakesOne() throws IOException {
    assertThat(GatewayConfig.load(write("data: var\n")).verification().grpcListen()).isEqualTo("127.0.0.1:8444");
    assertThat(GatewayConfig.load(write("data: var\nverification: {listen: 0.0.0.0:8480}\n")).verification().grpcListen()).isEqualTo("0.0.0.0:8444");
    assertThat(GatewayConfig.load(write("data: var\nverification: {listen: 127.0.0.1:0}\n")).verification().grpcListen()).isEqualTo("127.0.0.1:0");
    GatewayConfig c = GatewayConfig.load(write("data: var\nverification: {grpc-listen: 10.1.1.1:9444, trusted-proxies: [10.0.0.0/8, 192.168.1.1, 'fd00::/8']}\n"));
    assertThat(c.verification().grpcListen()).isEqualTo("10.1.1.1:9444");
    assertThat(c.verification().trustedProxies()).containsExactly("10.0.0.0/8", "192.168.1.1", "fd00::/8");
    assertThat(GatewayConfig.load(write("data: var\n")).verification().trustedProxies()).isEmpty();
  }

  @Test
  void aTrustedProxyMustBeAnAddressOrABlockAndTheListenerAHostAndPort() {
    assertThatThrownBy(() -> GatewayConfig.load(write("data: var\nverification: {trusted-proxies: [proxy.example]}\n")))
        .hasMessageContaining("verification.trusted-proxies")
        .hasMessageContaining("expected: an IP address or CIDR block");
    assertThatThrownBy(() -> GatewayConfig.load(write("data: var\nverification: {trusted-proxies: [10.0.0.0/40]}\n")))
        .hasMessageContaining("prefix length");
    assertThatThrownBy(() -> GatewayConfig.load(write("data: var\nverification: {grpc-listen: nowhere}\n")))
        .hasMessageContaining("verification.grpc-listen");
  }
}

package jp.kofu.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jp.kofu.issuer.seed.Seeder;
import org.junit.jupiter.api.Test;

/** The configurations README.md tells people to run stay valid and match what the seed tool makes. */
class ExampleConfigurationsTest {
  @Test
  void theSplitExampleServesTheTwentySeededMunicipalitiesTenAndTen() {
    GatewayConfig config = GatewayConfig.load(Path.of("../docs/examples/municipalities-split.yaml"));

    assertThat(config.adapters()).extracting(GatewayConfig.Adapter::kind).containsExactly("embedded", "remote");
    List<String> embedded = Arrays.asList(config.adapters().get(0).settings().get("municipalities").split(","));
    List<String> remote = Arrays.asList(config.adapters().get(1).settings().get("municipalities").split(","));
    assertThat(embedded).hasSize(10);
    assertThat(remote).hasSize(10);
    List<String> all = new ArrayList<>(embedded);
    all.addAll(remote);
    assertThat(all).containsExactlyInAnyOrderElementsOf(Seeder.pickMunicipalities(20, 1));
    assertThat(config.admin().listen()).isEqualTo("127.0.0.1:9464");
    assertThat(config.isolation().breaker().openFor()).hasSeconds(30);
  }
}

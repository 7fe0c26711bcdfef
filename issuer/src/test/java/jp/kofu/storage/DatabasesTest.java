package jp.kofu.storage;

import static org.assertj.core.api.Assertions.assertThat;

import jp.kofu.issuer.registry.ResidentRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatabasesTest {
  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void migratesTheRegistryOnBothKinds(Databases.Kind kind) throws Exception {
    try (Database db = Databases.fresh(kind, ResidentRegistry.MIGRATIONS)) {
      assertThat(db.dialect().name()).isEqualTo(kind.name());
      assertThat(new ResidentRegistry(db).countResidents("131016")).isZero();
    }
  }
}

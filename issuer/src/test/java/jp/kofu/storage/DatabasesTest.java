package jp.kofu.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import jp.kofu.issuer.registry.ResidentRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

  @Test
  void anH2DatabaseKeepsMoreParsedStatementsThanH2sDefaultOfEight(@TempDir Path dir) throws Exception {
    try (Database db = Database.open(Database.h2FileUrl(dir.resolve("registry")), "sa", "", ResidentRegistry.MIGRATIONS, 2);
        Connection c = db.connection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")) {
      assertThat(r.next()).isTrue();
      assertThat(Integer.parseInt(r.getString(1))).isEqualTo(Database.H2_QUERY_CACHE);
    }
  }
}

package jp.kofu.issuer.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MunicipalityCatalogTest {
  static final String BASE =
      """
      code: "131016"
      mayor: {title: 千代田区長, name: 山田　太郎}
      certificates:
        RESIDENCE: {fee: 200, max-copies: 10, options: [HEAD_OF_HOUSEHOLD]}
        FAMILY_REGISTER_FULL: {fee: 350, max-copies: 5}
      """;

  @Test
  void hoursDefaultToTheNationalOnes() {
    MunicipalityProfile p = MunicipalityCatalog.parse("131016.yaml", BASE);
    assertThat(p.hours()).isEqualTo(ServiceHours.DEFAULT);
    assertThat(p.hours().open()).isEqualTo(LocalTime.of(6, 30));
    assertThat(p.hours().close()).isEqualTo(LocalTime.of(23, 0));
  }

  @Test
  void readsHoursOfficeHoursAndMaintenance() {
    MunicipalityProfile p =
        MunicipalityCatalog.parse(
            "131016.yaml",
            BASE
                + """
                hours:
                  open: "07:00"
                  close: "22:00"
                  family-register-office-hours-only: true
                  office-hours: {open: "09:00", close: "17:00"}
                maintenance:
                  - {from: "2026-12-06T00:00", to: "2026-12-06T06:30"}
                """);
    ServiceHours h = p.hours();
    assertThat(h.open()).isEqualTo(LocalTime.of(7, 0));
    assertThat(h.close()).isEqualTo(LocalTime.of(22, 0));
    assertThat(h.familyRegisterOfficeHoursOnly()).isTrue();
    assertThat(h.officeOpen()).isEqualTo(LocalTime.of(9, 0));
    assertThat(h.maintenance())
        .containsExactly(new ServiceHours.Maintenance(LocalDateTime.of(2026, 12, 6, 0, 0), LocalDateTime.of(2026, 12, 6, 6, 30)));
    // What the seed tool writes reads back the same.
    assertThat(MunicipalityCatalog.parse("131016.yaml", MunicipalityCatalog.toYaml(p))).isEqualTo(p);
  }

  @Test
  void badHoursAreReportedWithFileAndField() {
    assertThatThrownBy(() -> MunicipalityCatalog.parse("131016.yaml", BASE + "hours: {open: \"6:30\", close: \"25:00\"}\n"))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("131016.yaml: hours.open: '6:30' (expected: a quoted Japan time HH:MM")
        .hasMessageContaining("131016.yaml: hours.close: '25:00'");
    assertThatThrownBy(() -> MunicipalityCatalog.parse("131016.yaml", BASE + "hours: {open: \"23:00\", close: \"06:30\"}\n"))
        .hasMessageContaining("131016.yaml: hours: open 23:00 is not before close 06:30");
    assertThatThrownBy(() -> MunicipalityCatalog.parse("131016.yaml", BASE + "maintenance:\n  - {from: \"2026-12-06T06:00\", to: \"2026-12-06T05:00\"}\n"))
        .hasMessageContaining("131016.yaml: maintenance[0]: from 2026-12-06T06:00 is not before to 2026-12-06T05:00");
    assertThatThrownBy(() -> MunicipalityCatalog.parse("131016.yaml", BASE + "maintenance:\n  - {from: tomorrow}\n"))
        .hasMessageContaining("maintenance[0].from: 'tomorrow'")
        .hasMessageContaining("maintenance[0].to: missing");
    assertThatThrownBy(() -> MunicipalityCatalog.parse("131016.yaml", BASE + "hours: {family-register-office-hours-only: sometimes}\n"))
        .hasMessageContaining("hours.family-register-office-hours-only: 'sometimes' (expected: true or false)");
    assertThatThrownBy(() -> MunicipalityCatalog.parse("131016.yaml", BASE + "hours: {opens: \"06:30\"}\n"))
        .hasMessageContaining("hours.opens: unknown field");
  }

  @Test
  void aDirectoryReportsEveryBadFileAtOnce(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("131016.yaml"), BASE + "hours: {open: \"x\"}\n");
    Files.writeString(dir.resolve("192015.yaml"), BASE.replace("131016", "192015").replace("千代田区長", "甲府市長") + "maintenance: 3\n");
    assertThatThrownBy(() -> MunicipalityCatalog.load(dir))
        .hasMessageContaining("131016.yaml: hours.open")
        .hasMessageContaining("192015.yaml: maintenance: expected a list");
  }
}

package jp.kofu.issuer.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import jp.kofu.issuer.seed.SeededRegistry;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.issuer.seed.Specimen;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.storage.Databases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The V2 records, seeded and read back live, on H2 and on PostgreSQL. */
class CertificateRecordsTest {
  static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void seededRecordsReadBackAndChangesAreSeenAtOnce(Databases.Kind kind) throws Exception {
    try (SeededRegistry s = SeededRegistry.seed(kind, TODAY)) {
      ResidentRegistry registry = s.registry;
      Specimen all = s.specimen(Specimen.ISSUABLE, "本籍 here");
      Resident holder = registry.resident(all.residentId()).orElseThrow();

      // 印鑑登録: active, with a PNG impression, and a 廃止 is seen by the very next read.
      SealRegistration seal = registry.latestSealRegistration(holder.id()).orElseThrow();
      assertThat(seal.activeOn(TODAY)).isTrue();
      assertThat(seal.impressionPng()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
      assertThat(s.writer.cancelSealRegistration(seal.municipalityCode(), seal.registrationNumber(), TODAY)).isTrue();
      assertThat(registry.latestSealRegistration(holder.id()).orElseThrow().activeOn(TODAY)).isFalse();
      assertThat(registry.latestSealRegistration(s.specimen("NO_SEAL_REGISTRATION", "never").residentId())).isEmpty();
      assertThat(registry.latestSealRegistration(s.specimen("NO_SEAL_REGISTRATION", "cancelled").residentId()).orElseThrow().activeOn(TODAY))
          .isFalse();

      // 戸籍: the holder's entry, the register's members in order with parents and 続柄, events, 附票.
      FamilyRegisterMember member = registry.familyRegisterMemberOfResident(holder.id(), Seeder.DEMO_MUNICIPALITY).orElseThrow();
      FamilyRegister register = registry.familyRegister(member.registerId()).orElseThrow();
      assertThat(register.domicile()).isEqualTo(holder.domicile());
      assertThat(register.headName()).isEqualTo(holder.fullName());
      List<FamilyRegisterMember> members = registry.familyRegisterMembers(register.id());
      assertThat(members).hasSizeGreaterThanOrEqualTo(2);
      assertThat(members.get(0).id()).isEqualTo(member.id());
      assertThat(members).allSatisfy(m -> assertThat(m.relationship()).matches("[長二三四五六][男女]"));
      List<FamilyRegisterEvent> events = registry.familyRegisterEvents(register.id());
      assertThat(events).anySatisfy(e -> {
        assertThat(e.memberId()).isNull();
        assertThat(e.kind()).isEqualTo("戸籍編製");
      });
      assertThat(events).anySatisfy(e -> {
        assertThat(e.memberId()).isEqualTo(member.id());
        assertThat(e.kind()).isEqualTo("出生");
        assertThat(e.items()).anySatisfy(i -> assertThat(i.date()).isEqualTo(holder.birthDate()));
      });
      assertThat(registry.annexEntries(register.id())).anySatisfy(a -> {
        assertThat(a.memberId()).isEqualTo(member.id());
        assertThat(a.address()).startsWith("東京都千代田区");
      });
      assertThat(register.noticePending()).isFalse();
      s.writer.setNoticePending(register.id(), true);
      assertThat(registry.familyRegister(register.id()).orElseThrow().noticePending()).isTrue();

      // 所得・課税: filed with sums that add up, and a year with nothing filed.
      int year = 2026;
      TaxRecord tax = registry.taxRecord(holder.id(), year).orElseThrow();
      assertThat(tax.filed()).isTrue();
      assertThat(tax.salaryRevenue()).isPositive();
      assertThat(tax.deductions()).anySatisfy(d -> assertThat(d.label()).isEqualTo("基礎控除"));
      assertThat(tax.annualTax()).isEqualTo(
          tax.municipalIncomeLevy() + tax.municipalPerCapita() + tax.prefecturalIncomeLevy() + tax.prefecturalPerCapita()
              + tax.forestEnvironmentTax());
      assertThat(registry.taxRecord(s.specimen("NO_TAX_FILING", null).residentId(), year).orElseThrow().filed()).isFalse();

      // 利用登録 at the 本籍地: effective for one, filed today (so not yet) for another.
      Specimen viaUse = s.specimen(Specimen.ISSUABLE, "利用登録");
      CardRef card = cardOf(s, viaUse.residentId());
      UseRegistration use = registry.useRegistration(Seeder.DEMO_DOMICILE_MUNICIPALITY, card).orElseThrow();
      assertThat(use.effectiveOn(TODAY)).isTrue();
      FamilyRegisterMember registered = registry.familyRegisterMember(use.memberId()).orElseThrow();
      assertThat(registered.residentId()).isEqualTo(viaUse.residentId());
      UseRegistration today = registry.useRegistration(Seeder.DEMO_DOMICILE_MUNICIPALITY, cardOf(s, s.specimen("DOMICILE_NOT_REGISTERED", "today").residentId())).orElseThrow();
      assertThat(today.filedOn()).isEqualTo(TODAY);
      assertThat(today.effectiveOn(TODAY)).isFalse();
      // Thursday 26 Nov 2026 + 5 business days: 27, 30 Nov, 1, 2, 3 Dec.
      assertThat(today.effectiveOn()).isEqualTo(LocalDate.of(2026, 12, 3));
      assertThat(registry.useRegistration(Seeder.DEMO_DOMICILE_MUNICIPALITY, cardOf(s, s.specimen("DOMICILE_NOT_REGISTERED", "no ").residentId())))
          .isEmpty();

      // 支援措置 is a live flag too.
      s.writer.setSupportMeasure(holder.id(), true);
      assertThat(registry.resident(holder.id()).orElseThrow().supportMeasure()).isTrue();
    }
  }

  static CardRef cardOf(SeededRegistry s, long residentId) throws Exception {
    for (String line : java.nio.file.Files.readAllLines(s.dir.resolve("cards.csv")).subList(1, java.nio.file.Files.readAllLines(s.dir.resolve("cards.csv")).size())) {
      String[] f = line.split(",");
      if (Long.parseLong(f[0]) == residentId) {
        return new CardRef(f[3], f[2], CardRef.CredentialKind.valueOf(f[4]));
      }
    }
    throw new AssertionError("no card for resident " + residentId);
  }
}

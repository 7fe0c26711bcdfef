package jp.kofu.issuer.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import jp.kofu.issuer.seed.SeededRegistry;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.issuer.seed.Specimen;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.storage.Databases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reads that issuance makes in one query (a card with its resident, a register entry with its
 * register, a household with its members, the menu's seal and tax facts) answer exactly what the
 * separate reads they replace answer, for every card and resident of the seeded population (every
 * specimen included), on H2 and on PostgreSQL; and they are live: a change is seen by the next read.
 */
class CombinedReadsTest {
  static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void combinedReadsAnswerWhatTheSeparateReadsAnswer(Databases.Kind kind) throws Exception {
    try (SeededRegistry s = SeededRegistry.seed(kind, TODAY)) {
      ResidentRegistry registry = s.registry;
      List<String> cards = Files.readAllLines(s.dir.resolve("cards.csv"));
      int withRegister = 0;
      int withSeal = 0;
      int filed = 0;
      for (String line : cards.subList(1, cards.size())) {
        String[] f = line.split(",");
        CardRef card = new CardRef(f[3], f[2], CardRef.CredentialKind.valueOf(f[4]));
        CardRecord record = registry.findCard(card.issuerKeyId(), card.serial()).orElseThrow();
        ResidentRegistry.CardHolder held = registry.cardHolder(card.issuerKeyId(), card.serial()).orElseThrow();
        assertThat(held.card()).isEqualTo(record);
        Resident resident = registry.resident(record.residentId()).orElseThrow();
        assertThat(held.resident()).usingRecursiveComparison().isEqualTo(resident);

        for (String code : List.of(Seeder.DEMO_MUNICIPALITY, Seeder.DEMO_DOMICILE_MUNICIPALITY)) {
          Optional<FamilyRegisterMember> member = registry.familyRegisterMemberOfResident(resident.id(), code);
          Optional<ResidentRegistry.RegisterEntry> entry = registry.familyRegisterEntryOfResident(resident.id(), code);
          assertThat(entry.isPresent()).isEqualTo(member.isPresent());
          if (member.isPresent()) {
            withRegister++;
            assertThat(entry.get().member()).usingRecursiveComparison().isEqualTo(member.get());
            FamilyRegister register = registry.familyRegister(member.get().registerId()).orElseThrow();
            assertThat(entry.get().register()).isEqualTo(register);
            assertThat(registry.familyRegisterEntry(member.get().id()).orElseThrow()).usingRecursiveComparison().isEqualTo(entry.get());
            assertThat(registry.familyRegisterEntryByHandle(member.get().handle()).orElseThrow())
                .usingRecursiveComparison()
                .isEqualTo(entry.get());
          }
        }

        ResidentRegistry.HouseholdWithMembers home = registry.householdWithMembers(resident.householdId()).orElseThrow();
        assertThat(home.household()).isEqualTo(registry.household(resident.householdId()).orElseThrow());
        assertThat(home.members()).usingRecursiveFieldByFieldElementComparator().isEqualTo(registry.householdMembers(resident.householdId()));

        Optional<SealRegistration> seal = registry.latestSealRegistration(resident.id());
        for (LocalDate day : List.of(TODAY.minusYears(30), TODAY.minusDays(1), TODAY, TODAY.plusYears(1))) {
          assertThat(registry.latestSealRegistrationActiveOn(resident.id(), day)).isEqualTo(seal.isPresent() && seal.get().activeOn(day));
        }
        withSeal += seal.isPresent() && seal.get().activeOn(TODAY) ? 1 : 0;
        for (int year : List.of(2025, 2026)) {
          Optional<TaxRecord> tax = registry.taxRecord(resident.id(), year);
          assertThat(registry.taxFiled(resident.id(), year)).isEqualTo(tax.map(TaxRecord::filed));
          filed += tax.isPresent() && tax.get().filed() ? 1 : 0;
        }
      }
      // The population has each kind: the comparisons above were not all of empty answers.
      assertThat(withRegister).isPositive();
      assertThat(withSeal).isPositive();
      assertThat(filed).isPositive();
      assertThat(registry.cardHolder("00".repeat(32), "nope")).isEmpty();
      assertThat(registry.householdWithMembers(-1)).isEmpty();
      assertThat(registry.familyRegisterEntryByHandle("nope")).isEmpty();

      // Live: a seal cancelled, a notice pending, a support measure are seen by the very next read.
      Specimen all = s.specimen(Specimen.ISSUABLE, "本籍 here");
      Resident holder = registry.resident(all.residentId()).orElseThrow();
      SealRegistration active = registry.latestSealRegistration(holder.id()).orElseThrow();
      assertThat(registry.latestSealRegistrationActiveOn(holder.id(), TODAY)).isTrue();
      s.writer.cancelSealRegistration(active.municipalityCode(), active.registrationNumber(), TODAY);
      assertThat(registry.latestSealRegistrationActiveOn(holder.id(), TODAY)).isFalse();
      ResidentRegistry.RegisterEntry entry = registry.familyRegisterEntryOfResident(holder.id(), Seeder.DEMO_MUNICIPALITY).orElseThrow();
      assertThat(entry.register().noticePending()).isFalse();
      s.writer.setNoticePending(entry.register().id(), true);
      assertThat(registry.familyRegisterEntryOfResident(holder.id(), Seeder.DEMO_MUNICIPALITY).orElseThrow().register().noticePending()).isTrue();
      s.writer.setSupportMeasure(holder.id(), true);
      assertThat(registry.householdWithMembers(holder.householdId()).orElseThrow().members())
          .anySatisfy(r -> {
            assertThat(r.id()).isEqualTo(holder.id());
            assertThat(r.supportMeasure()).isTrue();
          });
    }
  }
}

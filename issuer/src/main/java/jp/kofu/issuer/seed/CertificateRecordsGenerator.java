package jp.kofu.issuer.seed;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import jp.kofu.issuer.document.SealImpressions;
import jp.kofu.issuer.reference.JapaneseNames;
import jp.kofu.issuer.reference.JapaneseNames.Name;
import jp.kofu.issuer.reference.LocalGovernment;
import jp.kofu.issuer.reference.LocalGovernmentCodes;
import jp.kofu.issuer.registry.FamilyRegisterEvent.Item;
import jp.kofu.issuer.registry.Sex;
import jp.kofu.issuer.registry.TaxRecord.Amount;
import jp.kofu.issuer.registry.AnnexEntry;
import jp.kofu.issuer.registry.CardRecord;
import jp.kofu.issuer.registry.CertificateRecords;
import jp.kofu.issuer.registry.FamilyRegister;
import jp.kofu.issuer.registry.FamilyRegisterEvent;
import jp.kofu.issuer.registry.FamilyRegisterMember;
import jp.kofu.issuer.registry.Household;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.registry.ResidentStatus;
import jp.kofu.issuer.registry.SealRegistration;
import jp.kofu.issuer.registry.TaxRecord;
import jp.kofu.issuer.registry.UseRegistration;

/**
 * Makes what the other certificates are printed from, for generated households: seal
 * registrations with impressions, family registers (kept only where a municipality of this
 * registry is the 本籍地) with their events and 附票, three years of tax assessments computed the
 * way a municipality computes 個人住民税, and 利用登録 of cards at a 本籍地 elsewhere.
 */
final class CertificateRecordsGenerator {
  /** What a resident must have, for specimens; {@link #RANDOM} lets chance decide. */
  record Needs(Seal seal, Tax tax, Use use, boolean noticePending) {
    static final Needs RANDOM = new Needs(Seal.RANDOM, Tax.RANDOM, Use.RANDOM, false);
  }

  enum Seal { RANDOM, ACTIVE, NONE, CANCELLED }

  enum Tax { RANDOM, FILED, NOT_FILED }

  enum Use { RANDOM, EFFECTIVE, NONE, FILED_TODAY }

  private static final double[] SEAL_SIZES_MM = {13.5, 15.0, 16.5, 18.0};
  private static final List<LocalGovernment> PLACES =
      LocalGovernmentCodes.bundled().all().stream().filter(g -> g.type() != LocalGovernment.Type.PREFECTURE).toList();

  private final LocalGovernment municipality;
  private final Set<String> served;
  private final LocalDate today;
  private final SplittableRandom random;
  private final JapaneseNames names = JapaneseNames.bundled();
  private final Map<String, byte[]> impressions;

  CertificateRecordsGenerator(
      LocalGovernment municipality, Set<String> served, LocalDate today, SplittableRandom random, Map<String, byte[]> impressions) {
    this.municipality = municipality;
    this.served = served;
    this.today = today;
    this.random = random;
    this.impressions = impressions;
  }

  CertificateRecords generate(
      List<Household> households, List<Resident> residents, List<CardRecord> cards, Ids ids, Map<Long, Needs> needs) {
    List<SealRegistration> seals = new ArrayList<>();
    List<TaxRecord> taxes = new ArrayList<>();
    Registers registers = new Registers(ids);
    Map<Long, List<Resident>> byHousehold = residents.stream().collect(Collectors.groupingBy(Resident::householdId));
    Map<Long, FamilyRegisterMember> memberOfResident = new HashMap<>();
    for (Household h : households) {
      List<Resident> members = byHousehold.getOrDefault(h.id(), List.of());
      for (Resident r : members) {
        Needs n = needs.getOrDefault(r.id(), Needs.RANDOM);
        seal(r, n.seal()).ifPresent(seals::add);
        taxes.addAll(taxRecords(r, h, members, n.tax()));
      }
      Resident head = members.stream().filter(Resident::isHeadOfHousehold).findFirst().orElse(null);
      if (head != null && head.domicileMunicipalityCode() != null && served.contains(head.domicileMunicipalityCode())) {
        boolean pending = members.stream().anyMatch(r -> needs.getOrDefault(r.id(), Needs.RANDOM).noticePending());
        memberOfResident.putAll(registers.ofHousehold(h, members, head, pending));
      }
    }
    List<UseRegistration> uses = new ArrayList<>();
    for (CardRecord card : cards) {
      FamilyRegisterMember member = memberOfResident.get(card.residentId());
      Resident r = residents.stream().filter(x -> x.id() == card.residentId()).findFirst().orElseThrow();
      if (member == null || r.domicileMunicipalityCode().equals(r.municipalityCode())) {
        continue;
      }
      Use use = needs.getOrDefault(r.id(), Needs.RANDOM).use();
      LocalDate filed =
          switch (use) {
            case NONE -> null;
            case FILED_TODAY -> today;
            case EFFECTIVE -> today.minusDays(30 + random.nextInt(900));
            case RANDOM -> {
              int roll = random.nextInt(100);
              yield roll < 60 ? today.minusDays(10 + random.nextInt(2000)) : roll < 64 ? today.minusDays(random.nextInt(3)) : null;
            }
          };
      if (filed != null) {
        uses.add(new UseRegistration(r.domicileMunicipalityCode(), card.card(), member.id(), filed, null));
      }
    }
    return new CertificateRecords(seals, registers.registers, registers.members, registers.events, registers.annex, taxes, uses);
  }

  // ---- 印鑑登録

  private java.util.Optional<SealRegistration> seal(Resident r, Seal need) {
    if (r.status().removed() || r.ageOn(today) < 15) {
      return java.util.Optional.empty();
    }
    boolean registered = switch (need) {
      case ACTIVE, CANCELLED -> true;
      case NONE -> false;
      case RANDOM -> random.nextInt(100) < 62;
    };
    if (!registered) {
      return java.util.Optional.empty();
    }
    LocalDate earliest = later(r.birthDate().plusYears(15), r.becameResidentOn());
    long span = Math.max(1, today.toEpochDay() - 1 - earliest.toEpochDay());
    LocalDate registeredOn = earliest.plusDays(random.nextLong(span));
    LocalDate cancelled = null;
    if (need == Seal.CANCELLED || (need == Seal.RANDOM && random.nextInt(40) == 0)) {
      cancelled = registeredOn.plusDays(1 + random.nextLong(Math.max(1, today.toEpochDay() - registeredOn.toEpochDay() - 1)));
      if (cancelled.isAfter(today)) {
        cancelled = today;
      }
    }
    // The impression engraves the family name, or the full name for one in five.
    String engraved = random.nextInt(5) == 0 && (r.familyName() + r.givenName()).length() <= 6
        ? r.familyName() + r.givenName()
        : r.familyName();
    byte[] png = impressions.computeIfAbsent(engraved, e -> SealImpressions.png(e, 240));
    String number = String.format("%02d-%07d", registeredOn.getYear() % 100, r.id());
    return java.util.Optional.of(
        new SealRegistration(r.municipalityCode(), number, r.id(), registeredOn, cancelled, png, SEAL_SIZES_MM[random.nextInt(SEAL_SIZES_MM.length)]));
  }

  // ---- 個人住民税

  private List<TaxRecord> taxRecords(Resident r, Household h, List<Resident> household, Tax need) {
    List<TaxRecord> out = new ArrayList<>();
    if (r.status().removed()) {
      return out;
    }
    int current = today.getMonthValue() >= 6 ? today.getYear() : today.getYear() - 1;
    for (int year = current - 2; year <= current; year++) {
      LocalDate assessmentDay = LocalDate.of(year, 1, 1);
      // Levied by the municipality of the 1 January address, on those of 16 or more then.
      if (r.becameResidentOn().isAfter(assessmentDay) || r.ageOn(assessmentDay) < 16) {
        continue;
      }
      boolean filed = switch (need) {
        case FILED -> true;
        case NOT_FILED -> year != current && random.nextBoolean();
        case RANDOM -> random.nextInt(100) >= 4;
      };
      if (!filed) {
        out.add(TaxRecord.notFiled(r.id(), year));
        continue;
      }
      out.add(assess(r, h, household, year, assessmentDay, need == Tax.FILED));
    }
    if (need == Tax.NOT_FILED && out.stream().noneMatch(t -> t.fiscalYear() == current)) {
      out.add(TaxRecord.notFiled(r.id(), current));
    }
    return out;
  }

  private TaxRecord assess(Resident r, Household h, List<Resident> household, int year, LocalDate assessmentDay, boolean earner) {
    int age = r.ageOn(assessmentDay);
    long salaryRevenue = 0;
    long pensionRevenue = 0;
    if (age >= 65) {
      pensionRevenue = roundDown(1_400_000 + random.nextInt(1_600_000), 1000);
    } else if (earner || r.isHeadOfHousehold()) {
      salaryRevenue = roundDown(2_600_000 + random.nextInt(6_400_000), 1000);
    } else if (random.nextInt(100) < 45) {
      salaryRevenue = roundDown(600_000 + random.nextInt(2_000_000), 1000);
    }
    long salaryIncome = salaryIncome(salaryRevenue);
    List<Amount> other = new ArrayList<>();
    if (pensionRevenue > 0) {
      other.add(new Amount("公的年金等所得", Math.max(0, pensionRevenue - 1_100_000)));
    }
    long totalIncome = salaryIncome + other.stream().mapToLong(Amount::yen).sum();
    List<Amount> deductions = new ArrayList<>();
    long social = roundDown(Math.round(salaryRevenue * 0.145 + pensionRevenue * 0.07), 1);
    if (social > 0) {
      deductions.add(new Amount("社会保険料控除", social));
    }
    boolean spouse = false;
    int dependents = 0;
    if (r.isHeadOfHousehold()) {
      for (Resident m : household) {
        if (m.id() == r.id() || m.status().removed()) {
          continue;
        }
        boolean isSpouse = m.relationship().equals("妻") || m.relationship().equals("夫");
        int mAge = m.ageOn(assessmentDay);
        if (isSpouse && mAge < 65 && random.nextInt(100) < 55) {
          spouse = true;
        } else if (!isSpouse && mAge >= 16 && mAge < 23) {
          dependents++;
        }
      }
    }
    if (spouse) {
      deductions.add(new Amount("配偶者控除", 330_000));
    }
    if (dependents > 0) {
      deductions.add(new Amount("扶養控除", 330_000L * dependents));
    }
    deductions.add(new Amount("基礎控除", 430_000));
    long totalDeductions = deductions.stream().mapToLong(Amount::yen).sum();
    long taxable = Math.max(0, totalIncome - totalDeductions) / 1000 * 1000;
    // 非課税限度額 (特別区・多くの市: 所得45万円, plus 35万円 and 10万円 for each dependent).
    long exemptBelow = 450_000 + (spouse || dependents > 0 ? 350_000L * (1 + dependents + (spouse ? 1 : 0)) + 100_000 : 0);
    boolean exempt = totalIncome <= exemptBelow;
    boolean forest = year >= 2024;
    long municipalPerCapita = exempt ? 0 : (forest ? 3_000 : 3_500);
    long prefecturalPerCapita = exempt ? 0 : (forest ? 1_000 : 1_500);
    long forestTax = exempt || !forest ? 0 : 1_000;
    long municipalLevy = exempt ? 0 : roundDown(taxable * 6 / 100, 100);
    long prefecturalLevy = exempt ? 0 : roundDown(taxable * 4 / 100, 100);
    String address = municipality.fullName() + h.address();
    return new TaxRecord(
        r.id(), year, true, address, salaryRevenue, salaryIncome, other, deductions, spouse, dependents, municipalLevy,
        municipalPerCapita, prefecturalLevy, prefecturalPerCapita, forestTax);
  }

  /** 給与所得 after 給与所得控除 (所得税法 第28条, from 2020 income). */
  static long salaryIncome(long revenue) {
    long deduction;
    if (revenue <= 0) {
      return 0;
    } else if (revenue <= 1_625_000) {
      deduction = 550_000;
    } else if (revenue <= 1_800_000) {
      deduction = revenue * 40 / 100 - 100_000;
    } else if (revenue <= 3_600_000) {
      deduction = revenue * 30 / 100 + 80_000;
    } else if (revenue <= 6_600_000) {
      deduction = revenue * 20 / 100 + 440_000;
    } else if (revenue <= 8_500_000) {
      deduction = revenue * 10 / 100 + 1_100_000;
    } else {
      deduction = 1_950_000;
    }
    return Math.max(0, revenue - deduction);
  }

  private static long roundDown(long value, long unit) {
    return value / unit * unit;
  }

  private static LocalDate later(LocalDate a, LocalDate b) {
    return a.isAfter(b) ? a : b;
  }

  // ---- 戸籍 and 附票

  private final class Registers {
    final Ids ids;
    final List<FamilyRegister> registers = new ArrayList<>();
    final List<FamilyRegisterMember> members = new ArrayList<>();
    final List<FamilyRegisterEvent> events = new ArrayList<>();
    final List<AnnexEntry> annex = new ArrayList<>();

    Registers(Ids ids) {
      this.ids = ids;
    }

    /**
     * The head's register (head, spouse, their children) and one for each parent of the head
     * living with them. Returns the register entry of each resident placed.
     */
    Map<Long, FamilyRegisterMember> ofHousehold(Household h, List<Resident> household, Resident head, boolean pending) {
      Map<Long, FamilyRegisterMember> placed = new HashMap<>();
      List<Resident> family = household.stream()
          .filter(r -> r.id() == head.id() || r.relationship().equals("妻") || r.relationship().equals("夫") || r.relationship().equals("子"))
          .sorted(java.util.Comparator.comparing((Resident r) -> r.id() == head.id() ? 0 : r.relationship().equals("子") ? 2 : 1)
              .thenComparing(Resident::birthDate))
          .toList();
      Resident spouse = family.stream().filter(r -> r.relationship().equals("妻") || r.relationship().equals("夫")).findFirst().orElse(null);
      LocalDate compiled = spouse != null
          ? later(later(head.birthDate(), spouse.birthDate()).plusYears(22 + random.nextInt(8)), LocalDate.of(1960, 1, 1))
          : head.birthDate().plusYears(20 + random.nextInt(10));
      if (compiled.isAfter(today.minusDays(30))) {
        compiled = today.minusDays(30 + random.nextInt(300));
      }
      // Children born before the recorded marriage would be odd; keep the register's story in order.
      for (Resident c : family) {
        if (c.relationship().equals("子") && c.birthDate().isBefore(compiled)) {
          compiled = c.birthDate().minusDays(200 + random.nextInt(600));
        }
      }
      FamilyRegister register = register(head, pending, compiled, spouse != null ? "婚姻" : "分籍");
      String father = randomName(head.familyName(), Sex.MALE);
      String mother = randomName(head.familyName(), Sex.FEMALE);
      int order = 1;
      FamilyRegisterMember headMember =
          member(register, order++, head, spouse == null ? null : head.sex() == Sex.MALE ? "夫" : "妻", father, mother,
              eldest(head.sex(), random.nextInt(3)));
      placed.put(head.id(), headMember);
      birth(register, headMember, head, "父");
      if (spouse != null) {
        marriage(register, headMember, compiled, spouse.fullName(), register.domicile() + "　" + father);
        String spouseFamily = names.surnames().get(random.nextInt(200)).kanji();
        String sFather = randomName(spouseFamily, Sex.MALE);
        String sMother = randomName(spouseFamily, Sex.FEMALE);
        FamilyRegisterMember s =
            member(register, order++, spouse, spouse.sex() == Sex.MALE ? "夫" : "妻", sFather, sMother, eldest(spouse.sex(), random.nextInt(3)));
        placed.put(spouse.id(), s);
        birth(register, s, spouse, "父");
        marriage(register, s, compiled, head.fullName(), elsewhereDomicile() + "　" + sFather);
      }
      int sons = 0;
      int daughters = 0;
      String dad = head.sex() == Sex.MALE ? head.fullName() : spouse == null ? null : spouse.fullName();
      String mom = head.sex() == Sex.FEMALE ? head.fullName() : spouse == null ? null : spouse.fullName();
      for (Resident c : family) {
        if (!c.relationship().equals("子")) {
          continue;
        }
        String rel = c.sex() == Sex.MALE ? ordinal(++sons) + "男" : ordinal(++daughters) + "女";
        FamilyRegisterMember m = member(register, order++, c, null, dad, mom, rel);
        placed.put(c.id(), m);
        birth(register, m, c, dad == null ? "母" : "父");
      }
      // An elder daughter who married out: still in the register, with the 除籍 mark.
      if (spouse != null && head.ageOn(today) >= 55 && random.nextInt(3) == 0) {
        LocalDate born = compiled.plusYears(1).plusDays(random.nextInt(300));
        Name given = names.femaleGivenNames().get(random.nextInt(names.femaleGivenNames().size()));
        FamilyRegisterMember out =
            new FamilyRegisterMember(ids.familyRegisterMember++, register.id(), order++, handle(), null, given.kanji(), born,
                Sex.FEMALE, null, dad, mom, ordinal(++daughters) + "女", true, false);
        members.add(out);
        event(register, out, "出生", Item.date("出生日", born), Item.text("出生地", municipality.fullName()), Item.date("届出日", born.plusDays(7)), Item.text("届出人", "父"));
        LocalDate married = born.plusYears(26 + random.nextInt(6));
        if (married.isBefore(today)) {
          String husband = randomName(names.surnames().get(random.nextInt(200)).kanji(), Sex.MALE);
          event(register, out, "婚姻", Item.date("婚姻日", married), Item.text("配偶者氏名", husband),
              Item.text("新本籍", elsewhereDomicile()), Item.text("称する氏", "夫の氏"));
        }
      }
      for (Resident r : family) {
        if (r.status() == ResidentStatus.DECEASED) {
          LocalDate died = today.minusDays(10 + random.nextInt(300));
          event(register, placed.get(r.id()), "死亡", Item.date("死亡日", died), Item.text("死亡地", municipality.fullName()),
              Item.date("届出日", died.plusDays(2)), Item.text("届出人", "親族"));
        }
      }
      for (Resident r : family) {
        annexLines(placed.get(r.id()), h, r);
      }
      // A parent of the head living with them keeps a register of their own.
      for (Resident p : household) {
        if (p.relationship().equals("父") || p.relationship().equals("母")) {
          FamilyRegister own = register(p, false, p.birthDate().plusYears(25 + random.nextInt(5)), "婚姻");
          FamilyRegisterMember m =
              member(own, 1, p, null, randomName(p.familyName(), Sex.MALE), randomName(p.familyName(), Sex.FEMALE), eldest(p.sex(), 0));
          placed.put(p.id(), m);
          birth(own, m, p, "父");
          annexLines(m, h, p);
        }
      }
      return placed;
    }

    private FamilyRegister register(Resident head, boolean pending, LocalDate compiled, String why) {
      FamilyRegister f =
          new FamilyRegister(ids.familyRegister++, head.domicileMunicipalityCode(), head.domicile(), head.familyName(), head.fullName(), pending);
      registers.add(f);
      events.add(new FamilyRegisterEvent(ids.familyRegisterEvent++, f.id(), null, events.size(), "戸籍編製",
          List.of(Item.date("編製日", compiled))));
      return f;
    }

    private FamilyRegisterMember member(
        FamilyRegister register, int order, Resident r, String spouseRole, String father, String mother, String relationship) {
      boolean removed = r.status() == ResidentStatus.DECEASED;
      FamilyRegisterMember m =
          new FamilyRegisterMember(ids.familyRegisterMember++, register.id(), order, handle(), r.id(), r.givenName(), r.birthDate(),
              r.sex(), removed ? null : spouseRole, father, mother, relationship, removed, r.supportMeasure());
      members.add(m);
      return m;
    }

    private void birth(FamilyRegister register, FamilyRegisterMember m, Resident r, String notifier) {
      String place = birthPlace();
      event(register, m, "出生", Item.date("出生日", r.birthDate()), Item.text("出生地", place),
          Item.date("届出日", r.birthDate().plusDays(3 + random.nextInt(10))), Item.text("届出人", notifier));
    }

    private void marriage(FamilyRegister register, FamilyRegisterMember m, LocalDate on, String spouseName, String previousRegister) {
      event(register, m, "婚姻", Item.date("婚姻日", on), Item.text("配偶者氏名", spouseName), Item.text("従前戸籍", previousRegister));
    }

    private void event(FamilyRegister register, FamilyRegisterMember m, String kind, Item... items) {
      events.add(new FamilyRegisterEvent(ids.familyRegisterEvent++, register.id(), m.id(), events.size(), kind, List.of(items)));
    }

    /** The 附票: a previous address where one is known, then the address of the household. */
    private void annexLines(FamilyRegisterMember m, Household h, Resident r) {
      int seq = 0;
      if (r.previousAddress() != null) {
        LocalDate before = r.becameResidentOn().minusYears(1 + random.nextInt(8));
        annex.add(new AnnexEntry(m.id(), seq++, r.previousAddress(), later(before, r.birthDate())));
      }
      if (r.status() == ResidentStatus.MOVED_OUT) {
        annex.add(new AnnexEntry(m.id(), seq++, municipality.fullName() + h.address(), r.addressSince()));
        annex.add(new AnnexEntry(m.id(), seq, elsewhereDomicile().replace("番地", "番地の" + (1 + random.nextInt(9))), today.minusDays(1 + random.nextInt(200))));
        return;
      }
      if (r.status() != ResidentStatus.DECEASED) {
        annex.add(new AnnexEntry(m.id(), seq, municipality.fullName() + h.address(), r.addressSince()));
      }
    }
  }

  private String randomName(String family, Sex sex) {
    List<Name> given = sex == Sex.MALE ? names.maleGivenNames() : names.femaleGivenNames();
    return family + "　" + given.get(random.nextInt(given.size())).kanji();
  }

  private String birthPlace() {
    return PLACES.get(random.nextInt(PLACES.size())).fullName();
  }

  private String elsewhereDomicile() {
    return birthPlace() + PopulationGenerator.fullWidth(1 + random.nextInt(3000)) + "番地";
  }

  private String handle() {
    byte[] b = new byte[12];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return "f" + HexFormat.of().formatHex(b);
  }

  private static String eldest(Sex sex, int nth) {
    return ordinal(1 + nth) + (sex == Sex.MALE ? "男" : "女");
  }

  /** 長, 二, 三, ...: how 続柄 counts children. */
  private static String ordinal(int n) {
    return switch (n) {
      case 1 -> "長";
      case 2 -> "二";
      case 3 -> "三";
      case 4 -> "四";
      case 5 -> "五";
      default -> "六";
    };
  }
}

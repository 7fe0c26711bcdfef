package jp.kofu.issuer.seed;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import jp.kofu.issuer.registry.Sex;
import jp.kofu.issuer.reference.JapaneseNames;
import jp.kofu.issuer.reference.JapaneseNames.Name;
import jp.kofu.issuer.reference.LocalGovernment;
import jp.kofu.issuer.reference.LocalGovernmentCodes;
import jp.kofu.issuer.reference.Towns;
import jp.kofu.issuer.registry.CardRecord;
import jp.kofu.issuer.registry.Household;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.registry.ResidentStatus;
import jp.kofu.issuer.spi.CardRef;

/**
 * Generates households for one municipality: sizes, ages, relationships, names with readings
 * and addresses drawn to look like a Japanese town, deterministic for a given seed. Every person
 * is invented; any likeness is chance.
 */
public final class PopulationGenerator {
  private static final String[] KANJI_DIGITS = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  private static final String[][] FOREIGN =
      // nationality, family name, given name, katakana reading of both, residence status
      {
        {"中国", "王", "偉", "ワン　ウェイ", "永住者"},
        {"ベトナム", "NGUYEN", "VAN AN", "グエン　ヴァン　アン", "技術・人文知識・国際業務（5年）"},
        {"韓国", "金", "民俊", "キム　ミンジュン", "特別永住者"},
        {"フィリピン", "SANTOS", "MARIA", "サントス　マリア", "定住者（3年）"},
        {"ブラジル", "SILVA", "JOAO", "シルバ　ジョアン", "永住者"},
        {"ネパール", "GURUNG", "BIKASH", "グルン　ビカス", "技能（3年）"},
        {"アメリカ合衆国", "SMITH", "EMILY", "スミス　エミリー", "教育（1年）"},
      };

  /** Coprime to 10^11 (odd, not a multiple of 5), so id → code is one-to-one below 10^11. */
  private static final long RESIDENT_CODE_MULTIPLIER = 7_919_199_713L;

  private final LocalGovernment municipality;
  private final List<Towns.Town> towns;
  private final JapaneseNames names = JapaneseNames.bundled();
  private final List<LocalGovernment> elsewhere;
  private final SplittableRandom random;
  private final LocalDate today;
  private final String cardIssuerKeyId;
  private List<LocalGovernment> servedElsewhere = List.of();
  private java.util.Set<String> served;
  private final java.util.Map<String, byte[]> impressions = new java.util.HashMap<>();

  /**
   * @param municipalityCode the municipality (or ward) to populate
   * @param seed makes the population reproducible
   * @param today the registry's today: ages, move-in days and card dates count from it
   * @param cardIssuerKeyId key id of the card CA that issues the generated cards
   */
  public PopulationGenerator(String municipalityCode, long seed, LocalDate today, String cardIssuerKeyId) {
    LocalGovernmentCodes codes = LocalGovernmentCodes.bundled();
    this.municipality =
        codes.find(municipalityCode).orElseThrow(() -> new IllegalArgumentException("unknown municipality code " + municipalityCode));
    this.towns = Towns.bundled().of(municipality.code5());
    if (towns.isEmpty()) {
      throw new IllegalArgumentException(
          "municipality " + municipalityCode + " has no town names in the postal data (a designated city is populated by ward)");
    }
    this.elsewhere =
        codes.all().stream().filter(g -> g.type() != LocalGovernment.Type.PREFECTURE && !Towns.bundled().of(g.code5()).isEmpty()).toList();
    this.random = new SplittableRandom(seed ^ Long.parseLong(municipalityCode) * 0x9E3779B97F4A7C15L);
    this.today = today;
    this.cardIssuerKeyId = cardIssuerKeyId;
    this.served = java.util.Set.of(municipality.code());
  }

  /**
   * The municipalities whose family registers this registry keeps (this one included): residents
   * get their 本籍 in one of them often enough for 利用登録 to be common, and their registers are
   * generated there.
   */
  public PopulationGenerator servedMunicipalities(java.util.Collection<String> codes) {
    LocalGovernmentCodes all = LocalGovernmentCodes.bundled();
    this.servedElsewhere =
        codes.stream().filter(c -> !c.equals(municipality.code())).map(c -> all.find(c).orElseThrow()).toList();
    java.util.Set<String> set = new java.util.HashSet<>(codes);
    set.add(municipality.code());
    this.served = java.util.Set.copyOf(set);
    return this;
  }

  /**
   * About {@code residents} persons in households, ids starting at the given ones.
   *
   * @param cardShare the share of residents with a card, 0..1
   */
  public Population generate(int residents, long firstHouseholdId, long firstResidentId, double cardShare) {
    return generate(residents, new Ids(firstHouseholdId, firstResidentId, 1, 1, 1), cardShare, false);
  }

  /**
   * About {@code residents} persons in households with everything their certificates need, ids
   * taken from {@code ids} (and advanced); with {@code specimens}, also one resident for each
   * refusal a store can give (see {@link Specimens}).
   */
  public Population generate(int residents, Ids ids, double cardShare, boolean specimens) {
    List<Household> households = new ArrayList<>();
    List<Resident> people = new ArrayList<>();
    List<CardRecord> cardRecords = new ArrayList<>();
    List<SeededCard> cards = new ArrayList<>();
    while (people.size() < residents) {
      Household household = newHousehold(ids);
      households.add(household);
      List<Resident> members = household(household, ids.resident, Math.min(householdSize(), residents - people.size()), -1, null);
      ids.resident += members.size();
      people.addAll(members);
      for (Resident r : members) {
        if (!r.status().removed() && random.nextDouble() < cardShare) {
          // Cards work from the day after issuance; a few were issued today.
          LocalDate usableFrom = random.nextInt(200) == 0 ? today.plusDays(1) : today.minusDays(1 + random.nextInt(3000));
          card(r, usableFrom, cardRecords, cards);
        }
      }
    }
    java.util.Map<Long, CertificateRecordsGenerator.Needs> needs = new java.util.HashMap<>();
    List<Specimen> made = List.of();
    if (specimens) {
      Specimens s = new Specimens(this, ids);
      made = s.make(households, people, cardRecords, cards, needs);
    }
    var records =
        new CertificateRecordsGenerator(municipality, served, today, random.split(), impressions)
            .generate(households, people, cardRecords, ids, needs);
    return new Population(households, people, cardRecords, cards, records, made);
  }

  Household newHousehold(Ids ids) {
    Towns.Town town = towns.get(random.nextInt(towns.size()));
    return new Household(ids.household++, municipality.code(), town.postalCode(), town.name() + block());
  }

  void card(Resident r, LocalDate usableFrom, List<CardRecord> cardRecords, List<SeededCard> cards) {
    CardRef ref = new CardRef(Long.toHexString(random.nextLong() & Long.MAX_VALUE | 1L << 62), cardIssuerKeyId, CardRef.CredentialKind.CARD);
    cardRecords.add(new CardRecord(ref, r.id(), r.municipalityCode(), usableFrom));
    cards.add(new SeededCard(r.id(), r.municipalityCode(), ref, String.format("%04d", random.nextInt(10_000))));
  }

  LocalDate today() {
    return today;
  }

  LocalGovernment municipality() {
    return municipality;
  }

  List<LocalGovernment> servedElsewhere() {
    return servedElsewhere;
  }

  private int householdSize() {
    double p = random.nextDouble();
    return p < 0.38 ? 1 : p < 0.66 ? 2 : p < 0.82 ? 3 : p < 0.95 ? 4 : 5 + random.nextInt(4);
  }

  /**
   * @param forcedHeadAge the head's age, or -1 for a random one
   * @param forcedDomicile the 本籍地, or null for a random one (and a foreign household by chance)
   */
  List<Resident> household(Household household, long firstId, int size, int forcedHeadAge, LocalGovernment forcedDomicile) {
    List<Resident> out = new ArrayList<>(size);
    boolean foreign = forcedDomicile == null && random.nextInt(40) == 0;
    Name surname = names.surnames().get(random.nextInt(Math.min(300, names.surnames().size())));
    int headAge = forcedHeadAge >= 0 ? forcedHeadAge : size == 1 ? 18 + random.nextInt(70) : 28 + random.nextInt(50);
    Sex headSex = random.nextInt(10) < 7 ? Sex.MALE : Sex.FEMALE;
    LocalDate householdSince = today.minusDays(random.nextInt(Math.max(1, (headAge - 18) * 365)));
    String previous = random.nextInt(4) == 0 ? null : elsewhereAddress();
    LocalGovernment domicilePlace = forcedDomicile != null ? forcedDomicile : domicilePlace();
    String domicile = domicilePlace.fullName() + towns(domicilePlace).name() + numeral(1 + random.nextInt(30)) + "番地";
    Resident head = person(firstId, household, 1, surname, headSex, headAge, "世帯主", householdSince, previous, domicile, null, domicilePlace, foreign);
    String domicileHead = head.fullName();
    head = withDomicileHead(head, domicileHead);
    out.add(head);
    int order = 2;
    if (size >= 2 && random.nextInt(10) < 8) {
      Sex sex = headSex == Sex.MALE ? Sex.FEMALE : Sex.MALE;
      int age = Math.max(18, headAge - 5 + random.nextInt(10));
      out.add(person(firstId + out.size(), household, order++, surname, sex, age, sex == Sex.FEMALE ? "妻" : "夫", householdSince, previous, domicile, domicileHead, domicilePlace, foreign));
    }
    while (out.size() < size) {
      int childAge = Math.max(0, headAge - 24 - random.nextInt(14));
      if (random.nextInt(12) == 0) {
        // A parent of the head lives with them.
        Sex sex = random.nextBoolean() ? Sex.MALE : Sex.FEMALE;
        out.add(person(firstId + out.size(), household, order++, surname, sex, Math.min(100, headAge + 25 + random.nextInt(8)), sex == Sex.MALE ? "父" : "母", householdSince, previous, domicile, null, domicilePlace, foreign));
        continue;
      }
      Sex sex = random.nextBoolean() ? Sex.MALE : Sex.FEMALE;
      LocalDate since = childAge * 365L < today.toEpochDay() - householdSince.toEpochDay() ? null : householdSince;
      out.add(person(firstId + out.size(), household, order++, surname, sex, childAge, "子", since, since == null ? null : previous, domicile, domicileHead, domicilePlace, foreign));
    }
    return out;
  }

  private Resident person(
      long id,
      Household household,
      int order,
      Name surname,
      Sex sex,
      int age,
      String relationship,
      LocalDate since,
      String previous,
      String domicile,
      String domicileHead,
      LocalGovernment domicilePlace,
      boolean foreign) {
    LocalDate birth = today.minusYears(age).minusDays(random.nextInt(365));
    // Born here (no move-in): resident since birth, no previous address.
    LocalDate becameResident = since == null || since.isBefore(birth) ? birth : since;
    String prev = since == null || since.isBefore(birth) ? null : previous;
    String family;
    String given;
    String familyKana;
    String givenKana;
    String nationality = null;
    String residenceStatus = null;
    String residenceCard = null;
    if (foreign) {
      String[] f = FOREIGN[(int) (household.id() % FOREIGN.length)];
      family = f[1];
      given = sex == Sex.MALE || order == 1 ? f[2] : f[2].substring(0, 1) + "I";
      String[] kana = f[3].split("　", 2);
      familyKana = kana[0];
      givenKana = kana[1];
      nationality = f[0];
      residenceStatus = f[4];
      residenceCard = "" + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26)) + String.format("%08d", random.nextInt(100_000_000)) + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26));
      domicile = null;
      domicileHead = null;
      domicilePlace = null;
    } else {
      List<Name> givenNames = sex == Sex.MALE ? names.maleGivenNames() : names.femaleGivenNames();
      Name g = givenNames.get(random.nextInt(givenNames.size()));
      family = surname.kanji();
      given = g.kanji();
      familyKana = surname.katakana();
      givenKana = g.katakana();
    }
    ResidentStatus status = ResidentStatus.ACTIVE;
    int roll = random.nextInt(1000);
    if (order > 1 && roll < 15) {
      status = random.nextBoolean() ? ResidentStatus.MOVED_OUT : ResidentStatus.DECEASED;
    } else if (roll < 25) {
      status = ResidentStatus.MOVE_OUT_FILED;
    }
    byte[] handle = new byte[12];
    for (int i = 0; i < handle.length; i++) {
      handle[i] = (byte) random.nextInt(256);
    }
    // Unique by construction, not by luck: a bijection of the registry id onto 11 digits (random
    // codes collide after a few hundred thousand residents, the birthday bound of 10^11).
    String residentCode = String.format("%011d", Math.floorMod(id * RESIDENT_CODE_MULTIPLIER + 31_415_926_535L, 100_000_000_000L));
    return new Resident(
        id,
        "r" + HexFormat.of().formatHex(handle),
        municipality.code(),
        household.id(),
        order,
        family,
        given,
        familyKana,
        givenKana,
        birth,
        sex,
        relationship,
        becameResident,
        becameResident,
        prev,
        domicile,
        domicileHead,
        domicilePlace == null ? null : domicilePlace.code(),
        residentCode,
        MyNumber.random(random),
        nationality,
        residenceStatus,
        residenceCard,
        status,
        random.nextInt(500) == 0 ? today : null,
        random.nextInt(300) == 0,
        random.nextInt(500) == 0);
  }

  /** A third here, a good share at another municipality of this registry, the rest anywhere. */
  private LocalGovernment domicilePlace() {
    int roll = random.nextInt(12);
    if (roll < 4) {
      return municipality;
    }
    if (roll < 7 && !servedElsewhere.isEmpty()) {
      return servedElsewhere.get(random.nextInt(servedElsewhere.size()));
    }
    return elsewhere.get(random.nextInt(elsewhere.size()));
  }

  /** A plain, issuable copy of a generated resident: the specimens change one thing of it. */
  static Resident ordinary(Resident r) {
    return new Resident(
        r.id(), r.handle(), r.municipalityCode(), r.householdId(), r.householdOrder(), r.familyName(), r.givenName(),
        r.familyNameKana(), r.givenNameKana(), r.birthDate(), r.sex(), r.relationship(), r.becameResidentOn(),
        r.addressSince(), r.previousAddress(), r.domicile(), r.domicileHead(), r.domicileMunicipalityCode(), r.residentCode(),
        r.myNumber(), r.nationality(), r.residenceStatus(), r.residenceCardNumber(), ResidentStatus.ACTIVE, null, false, false);
  }

  /** The same resident with another status, move-in day, support measure, 外字 flag or birth date. */
  static Resident with(
      Resident r, ResidentStatus status, LocalDate movedInOn, boolean supportMeasure, boolean gaijiPending, LocalDate birthDate) {
    return new Resident(
        r.id(), r.handle(), r.municipalityCode(), r.householdId(), r.householdOrder(), r.familyName(), r.givenName(),
        r.familyNameKana(), r.givenNameKana(), birthDate, r.sex(), r.relationship(), r.becameResidentOn().isBefore(birthDate) ? birthDate : r.becameResidentOn(),
        r.addressSince().isBefore(birthDate) ? birthDate : r.addressSince(), r.previousAddress(), r.domicile(), r.domicileHead(),
        r.domicileMunicipalityCode(), r.residentCode(), r.myNumber(), r.nationality(), r.residenceStatus(), r.residenceCardNumber(),
        status, movedInOn, supportMeasure, gaijiPending);
  }

  private static Resident withDomicileHead(Resident r, String head) {
    if (r.domicile() == null) {
      return r;
    }
    return new Resident(
        r.id(), r.handle(), r.municipalityCode(), r.householdId(), r.householdOrder(), r.familyName(), r.givenName(),
        r.familyNameKana(), r.givenNameKana(), r.birthDate(), r.sex(), r.relationship(), r.becameResidentOn(),
        r.addressSince(), r.previousAddress(), r.domicile(), head, r.domicileMunicipalityCode(), r.residentCode(),
        r.myNumber(), r.nationality(), r.residenceStatus(), r.residenceCardNumber(), r.status(), r.movedInOn(),
        r.supportMeasure(), r.gaijiPending());
  }

  private Towns.Town towns(LocalGovernment g) {
    List<Towns.Town> t = Towns.bundled().of(g.code5());
    return t.get(random.nextInt(t.size()));
  }

  private String elsewhereAddress() {
    LocalGovernment g = elsewhere.get(random.nextInt(elsewhere.size()));
    return g.fullName() + towns(g).name() + block();
  }

  /** 一丁目２番３号, or for one in four a rural 番地. */
  private String block() {
    if (random.nextInt(4) == 0) {
      return fullWidth(1 + random.nextInt(2000)) + "番地";
    }
    return KANJI_DIGITS[1 + random.nextInt(5)] + "丁目" + fullWidth(1 + random.nextInt(30)) + "番" + fullWidth(1 + random.nextInt(25)) + "号";
  }

  private static String numeral(int n) {
    return fullWidth(n);
  }

  static String fullWidth(int n) {
    String s = Integer.toString(n);
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      out.append((char) ('０' + (c - '0')));
    }
    return out.toString();
  }
}

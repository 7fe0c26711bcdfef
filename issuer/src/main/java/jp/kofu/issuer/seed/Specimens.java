package jp.kofu.issuer.seed;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jp.kofu.issuer.reference.LocalGovernment;
import jp.kofu.issuer.registry.CardRecord;
import jp.kofu.issuer.registry.Household;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.registry.ResidentStatus;
import jp.kofu.issuer.seed.CertificateRecordsGenerator.Needs;
import jp.kofu.issuer.seed.CertificateRecordsGenerator.Seal;
import jp.kofu.issuer.seed.CertificateRecordsGenerator.Tax;
import jp.kofu.issuer.seed.CertificateRecordsGenerator.Use;
import jp.kofu.issuer.spi.CertificateType;

/**
 * Specimen residents: for every refusal a store gives, one resident with a card for whom exactly
 * that rule fails, and residents who can get every certificate. Each is a household of its own,
 * generated like the others and then given the one fact that makes it a specimen.
 */
final class Specimens {
  private final PopulationGenerator gen;
  private final Ids ids;
  private final LocalDate today;
  private final String here;

  private List<Household> households;
  private List<Resident> people;
  private List<CardRecord> cardRecords;
  private List<SeededCard> cards;
  private Map<Long, Needs> needs;
  private final List<Specimen> out = new ArrayList<>();

  Specimens(PopulationGenerator gen, Ids ids) {
    this.gen = gen;
    this.ids = ids;
    this.today = gen.today();
    this.here = gen.municipality().code();
  }

  List<Specimen> make(
      List<Household> households, List<Resident> people, List<CardRecord> cardRecords, List<SeededCard> cards, Map<Long, Needs> needs) {
    this.households = households;
    this.people = people;
    this.cardRecords = cardRecords;
    this.cards = cards;
    this.needs = needs;
    LocalGovernment self = gen.municipality();
    LocalGovernment domicileElsewhere = gen.servedElsewhere().isEmpty() ? null : gen.servedElsewhere().get(0);

    Resident all = household(3, 45, self, r -> r, new Needs(Seal.ACTIVE, Tax.FILED, Use.RANDOM, false));
    for (CertificateType type : CertificateType.values()) {
      add(Specimen.ISSUABLE, all, type, here, "every certificate, 本籍 here");
    }
    add("OUT_OF_SERVICE_HOURS", all, CertificateType.RESIDENCE, here, "asked at 23:30");
    add("OPTION_NOT_OFFERED", all, CertificateType.RESIDENCE, here, "asked for 個人番号");
    add("FISCAL_YEAR_NOT_OFFERED", all, CertificateType.INCOME_TAX, here, "asked for last year's");
    if (domicileElsewhere != null) {
      Resident viaUse = household(1, 38, domicileElsewhere, r -> r, new Needs(Seal.ACTIVE, Tax.FILED, Use.EFFECTIVE, false));
      add(Specimen.ISSUABLE, viaUse, CertificateType.FAMILY_REGISTER_FULL, domicileElsewhere.code(), "本籍地 with 利用登録");
      add(Specimen.ISSUABLE, viaUse, CertificateType.FAMILY_REGISTER_ANNEX, domicileElsewhere.code(), "本籍地 with 利用登録");
      Resident unregistered = household(1, 52, domicileElsewhere, r -> r, new Needs(Seal.RANDOM, Tax.RANDOM, Use.NONE, false));
      add("DOMICILE_NOT_REGISTERED", unregistered, CertificateType.FAMILY_REGISTER_FULL, domicileElsewhere.code(), "no 利用登録");
      Resident filedToday = household(1, 29, domicileElsewhere, r -> r, new Needs(Seal.RANDOM, Tax.RANDOM, Use.FILED_TODAY, false));
      add("DOMICILE_NOT_REGISTERED", filedToday, CertificateType.FAMILY_REGISTER_INDIVIDUAL, domicileElsewhere.code(),
          "利用登録 filed today: effective 5 business days later");
    }
    LocalDate twelve = today.minusYears(12).minusDays(40);
    add("UNDER_AGE", child(twelve), CertificateType.RESIDENCE, here, "12 years old");
    add("MOVED_OUT", household(1, 33, self, r -> PopulationGenerator.with(r, ResidentStatus.MOVE_OUT_FILED, null, false, false, r.birthDate()), Needs.RANDOM),
        CertificateType.RESIDENCE, here, "move-out notice (転出届) filed");
    add("DECEASED", household(1, 81, self, r -> PopulationGenerator.with(r, ResidentStatus.DECEASED, null, false, false, r.birthDate()), Needs.RANDOM),
        CertificateType.RESIDENCE, here, "recorded as deceased");
    add("SUPPORT_MEASURE", household(1, 36, self, r -> PopulationGenerator.with(r, ResidentStatus.ACTIVE, null, true, false, r.birthDate()), Needs.RANDOM),
        CertificateType.RESIDENCE, here, "DV support measure: the copier sees NOT_ISSUABLE");
    add("NO_SEAL_REGISTRATION", household(1, 41, self, r -> r, new Needs(Seal.NONE, Tax.RANDOM, Use.RANDOM, false)),
        CertificateType.SEAL_REGISTRATION, here, "never registered a seal");
    add("NO_SEAL_REGISTRATION", household(1, 57, self, r -> r, new Needs(Seal.CANCELLED, Tax.RANDOM, Use.RANDOM, false)),
        CertificateType.SEAL_REGISTRATION, here, "registration cancelled (廃止)");
    add("MOVED_IN_TODAY", household(1, 27, self, r -> PopulationGenerator.with(r, ResidentStatus.ACTIVE, today, false, false, r.birthDate()), Needs.RANDOM),
        CertificateType.RESIDENCE, here, "move-in recorded today");
    add("GAIJI_PENDING", household(1, 64, self, r -> PopulationGenerator.with(r, ResidentStatus.ACTIVE, null, false, true, r.birthDate()), Needs.RANDOM),
        CertificateType.RESIDENCE, here, "外字 of the name being registered");
    add("FAMILY_REGISTER_NOTICE_PENDING", household(1, 31, self, r -> r, new Needs(Seal.RANDOM, Tax.RANDOM, Use.RANDOM, true)),
        CertificateType.FAMILY_REGISTER_FULL, here, "a filed notice not yet recorded");
    add("NO_TAX_FILING", household(1, 35, self, r -> r, new Needs(Seal.RANDOM, Tax.NOT_FILED, Use.RANDOM, false)),
        CertificateType.INCOME_TAX, here, "nothing filed this year");
    Resident longAddress = household(1, 44, self, r -> r, Needs.RANDOM);
    Household h = households.remove(households.size() - 1);
    households.add(new Household(h.id(), h.municipalityCode(), h.postalCode(),
        h.address() + "　グランドレジデンス千代田ザ・タワーイーストウイング・アネックス棟・サービスアパートメント・パークサイドヴィレッジ"
            + "・ガーデンテラスコート・リバーサイドフォレストヒルズ・シティプレミアムスイート３０１５号室"));
    add("DATA_TOO_LONG", longAddress, CertificateType.RESIDENCE, here, "an address longer than the layout prints");
    Resident newCard = household(1, 50, self, r -> r, Needs.RANDOM, today.plusDays(1));
    add("CARD_NOT_REGISTERED", newCard, CertificateType.RESIDENCE, here, "card issued today: usable tomorrow");
    return out;
  }

  private void add(String reason, Resident r, CertificateType type, String municipalityCode, String note) {
    out.add(new Specimen(reason, r.id(), type, municipalityCode, note));
  }

  private Resident household(int size, int headAge, LocalGovernment domicile, java.util.function.UnaryOperator<Resident> change, Needs need) {
    return household(size, headAge, domicile, change, need, today.minusDays(30));
  }

  /** A household of its own; its head is the specimen, changed by {@code change}, with a card. */
  private Resident household(
      int size, int headAge, LocalGovernment domicile, java.util.function.UnaryOperator<Resident> change, Needs need,
      LocalDate cardUsableFrom) {
    Household h = gen.newHousehold(ids);
    households.add(h);
    List<Resident> members = new ArrayList<>(gen.household(h, ids.resident, size, headAge, domicile));
    ids.resident += members.size();
    for (int i = 0; i < members.size(); i++) {
      members.set(i, PopulationGenerator.ordinary(members.get(i)));
    }
    Resident head = change.apply(members.get(0));
    members.set(0, head);
    people.addAll(members);
    needs.put(head.id(), need);
    gen.card(head, cardUsableFrom, cardRecords, cards);
    return head;
  }

  /** A child of an ordinary family, born on {@code birth}, with a card of its own. */
  private Resident child(LocalDate birth) {
    Household h = gen.newHousehold(ids);
    households.add(h);
    List<Resident> members = new ArrayList<>(gen.household(h, ids.resident, 2, 42, gen.municipality()));
    ids.resident += members.size();
    for (int i = 0; i < members.size(); i++) {
      members.set(i, PopulationGenerator.ordinary(members.get(i)));
    }
    Resident second = members.get(1);
    Resident child = PopulationGenerator.with(second, ResidentStatus.ACTIVE, null, false, false, birth);
    members.set(1, child);
    people.addAll(members);
    gen.card(child, today.minusDays(30), cardRecords, cards);
    return child;
  }
}

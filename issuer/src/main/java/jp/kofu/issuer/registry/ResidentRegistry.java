package jp.kofu.issuer.registry;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.storage.Database;

/**
 * The resident registry as issuance reads it: live, at every call (a record changed a second ago is
 * what the next certificate prints). Read-only, and free of rendering types: the embedded adapter
 * turns its records into document content. Its write side (the seed's bulk writes, the counter's
 * acts) is {@link jp.kofu.issuer.seed.RegistryWriter}. Thread-safe.
 */
public final class ResidentRegistry {
  /** Flyway location of the registry schema. */
  public static final String MIGRATIONS = "classpath:db/registry";

  /**
   * The embedded registry in {@code issuerDir}: an H2 file that several processes may open at once
   * (H2's automatic mixed mode: the first opener serves the others over loopback), so that the
   * gateway's embedded adapter and {@code ./kofu issuer serve} can share one development registry.
   */
  public static String embeddedUrl(java.nio.file.Path issuerDir) {
    return Database.h2FileUrl(issuerDir.resolve("registry")) + ";AUTO_SERVER=TRUE";
  }

  private static final String RESIDENT_COLUMNS =
      "r.id, r.handle, r.municipality_code, r.household_id, r.household_order, r.family_name, r.given_name,"
          + " r.family_name_kana, r.given_name_kana, r.birth_date, r.sex, r.relationship, r.became_resident_on,"
          + " r.address_since, r.previous_address, r.domicile, r.domicile_head, r.domicile_municipality_code,"
          + " r.resident_code, r.my_number, r.nationality, r.residence_status, r.residence_card_number, r.status,"
          + " r.moved_in_on, r.support_measure, r.gaiji_pending";

  private final Database db;

  public ResidentRegistry(Database db) {
    this.db = db;
  }

  public Database database() {
    return db;
  }

  public Optional<CardRecord> findCard(String issuerKeyId, String serial) throws SQLException {
    return db.first(
        "SELECT c.credential_kind, c.resident_id, r.municipality_code, c.usable_from"
            + " FROM card c JOIN resident r ON r.id = c.resident_id"
            + " WHERE c.issuer_key_id = ? AND c.serial = ?",
        rs ->
            new CardRecord(
                new CardRef(serial, issuerKeyId, CardRef.CredentialKind.valueOf(rs.getString(1))),
                rs.getLong(2),
                rs.getString(3),
                rs.getDate(4).toLocalDate()),
        issuerKeyId,
        serial);
  }


  /**
   * A card and the resident it maps to, in one read (what {@link #findCard} and {@link #resident}
   * read one after the other): the card's municipality is its resident's.
   */
  public Optional<CardHolder> cardHolder(String issuerKeyId, String serial) throws SQLException {
    return db.first(
        "SELECT " + RESIDENT_COLUMNS + ", c.credential_kind, c.usable_from"
            + " FROM card c JOIN resident r ON r.id = c.resident_id"
            + " WHERE c.issuer_key_id = ? AND c.serial = ?",
        rs -> {
          Resident r = resident(rs);
          return new CardHolder(
              new CardRecord(
                  new CardRef(serial, issuerKeyId, CardRef.CredentialKind.valueOf(rs.getString(28))),
                  r.id(),
                  r.municipalityCode(),
                  rs.getDate(29).toLocalDate()),
              r);
        },
        issuerKeyId,
        serial);
  }

  /** A card and its resident, read together. */
  public record CardHolder(CardRecord card, Resident resident) {
    @Override
    public String toString() {
      return "CardHolder";
    }
  }


  public Optional<Resident> residentByHandle(String handle) throws SQLException {
    return one("SELECT " + RESIDENT_COLUMNS + " FROM resident r WHERE r.handle = ?", handle);
  }

  public Optional<Resident> resident(long id) throws SQLException {
    return one("SELECT " + RESIDENT_COLUMNS + " FROM resident r WHERE r.id = ?", id);
  }

  /** Every person recorded in the household, removed ones included, in household order. */
  public List<Resident> householdMembers(long householdId) throws SQLException {
    return db.list(
        "SELECT " + RESIDENT_COLUMNS + " FROM resident r WHERE r.household_id = ? ORDER BY r.household_order, r.id",
        ResidentRegistry::resident,
        householdId);
  }


  /**
   * The household and every person recorded in it (removed ones included, in household order), in
   * one read: what {@link #household} and {@link #householdMembers} read one after the other.
   */
  public Optional<HouseholdWithMembers> householdWithMembers(long id) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT " + RESIDENT_COLUMNS + ", h.id, h.municipality_code, h.postal_code, h.address"
                    + " FROM household h LEFT JOIN resident r ON r.household_id = h.id"
                    + " WHERE h.id = ? ORDER BY r.household_order, r.id")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        Household home = null;
        List<Resident> members = new ArrayList<>();
        while (rs.next()) {
          if (home == null) {
            home = new Household(rs.getLong(28), rs.getString(29), rs.getString(30), rs.getString(31));
          }
          rs.getLong(1);
          if (!rs.wasNull()) {
            members.add(resident(rs));
          }
        }
        return home == null ? Optional.empty() : Optional.of(new HouseholdWithMembers(home, List.copyOf(members)));
      }
    }
  }

  /** A household and its members, read together. */
  public record HouseholdWithMembers(Household household, List<Resident> members) {
    @Override
    public String toString() {
      return "HouseholdWithMembers[" + household.id() + "]";
    }
  }


  public Optional<Household> household(long id) throws SQLException {
    return db.first(
        "SELECT id, municipality_code, postal_code, address FROM household WHERE id = ?",
        rs -> new Household(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)),
        id);
  }


  /** The residents of a municipality that have a card, by id (the seed tool's and the demo's view). */
  public List<Long> residentsWithCards(String municipalityCode, int limit) throws SQLException {
    return db.list(
        "SELECT DISTINCT r.id FROM resident r JOIN card c ON c.resident_id = r.id"
            + " WHERE r.municipality_code = ? ORDER BY r.id LIMIT ?",
        rs -> rs.getLong(1),
        municipalityCode,
        limit);
  }


  public long countResidents(String municipalityCode) throws SQLException {
    return db.first("SELECT COUNT(*) FROM resident WHERE municipality_code = ?", rs -> rs.getLong(1), municipalityCode).orElseThrow();
  }






  // ---- seal registrations (印鑑登録)

  /** The resident's latest seal registration, cancelled or not, read live. */
  public Optional<SealRegistration> latestSealRegistration(long residentId) throws SQLException {
    return db.first(
        "SELECT municipality_code, registration_number, resident_id, registered_on, cancelled_on, impression_png,"
            + " impression_size_mm FROM seal_registration WHERE resident_id = ?"
            + " ORDER BY registered_on DESC, registration_number DESC LIMIT 1",
        rs ->
            new SealRegistration(
                rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDate(4).toLocalDate(), date(rs, 5), rs.getBytes(6),
                rs.getBigDecimal(7).doubleValue()),
        residentId);
  }


  /**
   * Only whether the resident's latest seal registration (the one {@link #latestSealRegistration}
   * returns) is in effect on {@code day}: its dates, without the impression.
   */
  public boolean latestSealRegistrationActiveOn(long residentId, LocalDate day) throws SQLException {
    return db.first(
            "SELECT registered_on, cancelled_on FROM seal_registration WHERE resident_id = ?"
                + " ORDER BY registered_on DESC, registration_number DESC LIMIT 1",
            rs -> SealRegistration.activeOn(rs.getDate(1).toLocalDate(), date(rs, 2), day),
            residentId)
        .orElse(false);
  }



  // ---- family registers (戸籍) and their annexes (附票)

  /** The current (not removed) register entry of a resident, in the register its 本籍地 keeps. */
  public Optional<FamilyRegisterMember> familyRegisterMemberOfResident(long residentId, String municipalityCode)
      throws SQLException {
    return oneMember(
        "SELECT " + MEMBER_COLUMNS + " FROM family_register_member m JOIN family_register f ON f.id = m.register_id"
            + " WHERE m.resident_id = ? AND f.municipality_code = ? AND m.removed = FALSE",
        residentId, municipalityCode);
  }

  /**
   * {@link #familyRegisterMemberOfResident} and the register it is in ({@link #familyRegister}),
   * in one read.
   */
  public Optional<RegisterEntry> familyRegisterEntryOfResident(long residentId, String municipalityCode)
      throws SQLException {
    return db.first(
        ENTRY_SELECT
            + " WHERE m.resident_id = ? AND f.municipality_code = ? AND m.removed = FALSE",
        ResidentRegistry::entry,
        residentId, municipalityCode);
  }

  /** {@link #familyRegisterMemberByHandle} and the register it is in, in one read. */
  public Optional<RegisterEntry> familyRegisterEntryByHandle(String handle) throws SQLException {
    return db.first(
        ENTRY_SELECT
            + " WHERE m.handle = ?",
        ResidentRegistry::entry,
        handle);
  }

  /** {@link #familyRegisterMember} and the register it is in, in one read. */
  public Optional<RegisterEntry> familyRegisterEntry(long memberId) throws SQLException {
    return db.first(
        ENTRY_SELECT
            + " WHERE m.id = ?",
        ResidentRegistry::entry,
        memberId);
  }

  /** A register member and the register it is in. */
  public record RegisterEntry(FamilyRegisterMember member, FamilyRegister register) {
    @Override
    public String toString() {
      return "RegisterEntry[" + register + "]";
    }
  }

  private static final String REGISTER_COLUMNS = "f.id, f.municipality_code, f.domicile, f.family_name, f.head_name, f.notice_pending";

  private static RegisterEntry entry(ResultSet rs) throws SQLException {
    return new RegisterEntry(
        member(rs),
        new FamilyRegister(rs.getLong(15), rs.getString(16), rs.getString(17), rs.getString(18), rs.getString(19), rs.getBoolean(20)));
  }

  public Optional<FamilyRegisterMember> familyRegisterMember(long id) throws SQLException {
    return oneMember("SELECT " + MEMBER_COLUMNS + " FROM family_register_member m WHERE m.id = ?", id);
  }

  public Optional<FamilyRegisterMember> familyRegisterMemberByHandle(String handle) throws SQLException {
    return oneMember("SELECT " + MEMBER_COLUMNS + " FROM family_register_member m WHERE m.handle = ?", handle);
  }

  public Optional<FamilyRegister> familyRegister(long id) throws SQLException {
    return db.first(
        "SELECT id, municipality_code, domicile, family_name, head_name, notice_pending FROM family_register WHERE id = ?",
        rs -> new FamilyRegister(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getBoolean(6)),
        id);
  }


  /** Every person of the register, removed ones included, in register order. */
  public List<FamilyRegisterMember> familyRegisterMembers(long registerId) throws SQLException {
    return db.list(
        "SELECT " + MEMBER_COLUMNS + " FROM family_register_member m WHERE m.register_id = ? ORDER BY m.member_order, m.id",
        ResidentRegistry::member,
        registerId);
  }


  /** The register's 戸籍事項 and every member's 身分事項, in recorded order, with their items. */
  public List<FamilyRegisterEvent> familyRegisterEvents(long registerId) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT e.id, e.member_id, e.seq, e.kind, i.label, i.text_value, i.date_value"
                    + " FROM family_register_event e JOIN family_register_event_item i ON i.event_id = e.id"
                    + " WHERE e.register_id = ? ORDER BY e.seq, e.id, i.seq")) {
      s.setLong(1, registerId);
      try (ResultSet rs = s.executeQuery()) {
        List<FamilyRegisterEvent> out = new ArrayList<>();
        long current = -1;
        Long memberId = null;
        int seq = 0;
        String kind = null;
        List<FamilyRegisterEvent.Item> items = new ArrayList<>();
        while (rs.next()) {
          long id = rs.getLong(1);
          if (id != current) {
            if (current != -1) {
              out.add(new FamilyRegisterEvent(current, registerId, memberId, seq, kind, items));
            }
            current = id;
            long m = rs.getLong(2);
            memberId = rs.wasNull() ? null : m;
            seq = rs.getInt(3);
            kind = rs.getString(4);
            items = new ArrayList<>();
          }
          String text = rs.getString(6);
          items.add(
              text != null
                  ? FamilyRegisterEvent.Item.text(rs.getString(5), text)
                  : FamilyRegisterEvent.Item.date(rs.getString(5), rs.getDate(7).toLocalDate()));
        }
        if (current != -1) {
          out.add(new FamilyRegisterEvent(current, registerId, memberId, seq, kind, items));
        }
        return out;
      }
    }
  }

  /** The 附票 lines of the register's members, by member, oldest first. */
  public List<AnnexEntry> annexEntries(long registerId) throws SQLException {
    return db.list(
        "SELECT a.member_id, a.seq, a.address, a.since FROM family_register_annex a"
            + " JOIN family_register_member m ON m.id = a.member_id WHERE m.register_id = ?"
            + " ORDER BY m.member_order, a.member_id, a.seq",
        rs -> new AnnexEntry(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getDate(4).toLocalDate()),
        registerId);
  }



  // ---- tax records

  /** The assessment of {@code fiscalYear}, or empty when nothing at all is recorded. */
  public Optional<TaxRecord> taxRecord(long residentId, int fiscalYear) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT filed, address, salary_revenue, salary_income, spouse_deduction, dependents, municipal_income_levy,"
                    + " municipal_per_capita, prefectural_income_levy, prefectural_per_capita, forest_environment_tax"
                    + " FROM tax_record WHERE resident_id = ? AND fiscal_year = ?");
        PreparedStatement a =
            c.prepareStatement(
                "SELECT kind, label, yen FROM tax_record_amount WHERE resident_id = ? AND fiscal_year = ? ORDER BY kind, seq")) {
      s.setLong(1, residentId);
      s.setInt(2, fiscalYear);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        if (!rs.getBoolean(1)) {
          return Optional.of(TaxRecord.notFiled(residentId, fiscalYear));
        }
        List<TaxRecord.Amount> incomes = new ArrayList<>();
        List<TaxRecord.Amount> deductions = new ArrayList<>();
        a.setLong(1, residentId);
        a.setInt(2, fiscalYear);
        try (ResultSet ra = a.executeQuery()) {
          while (ra.next()) {
            var amount = new TaxRecord.Amount(ra.getString(2), ra.getLong(3));
            ("INCOME".equals(ra.getString(1)) ? incomes : deductions).add(amount);
          }
        }
        return Optional.of(
            new TaxRecord(
                residentId, fiscalYear, true, rs.getString(2), rs.getLong(3), rs.getLong(4), incomes, deductions,
                rs.getBoolean(5), rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11)));
      }
    }
  }

  /**
   * Only whether an assessment of {@code fiscalYear} was filed (what {@link #taxRecord}'s
   * {@code filed} says), without its amounts: empty when nothing at all is recorded.
   */
  public Optional<Boolean> taxFiled(long residentId, int fiscalYear) throws SQLException {
    return db.first(
        "SELECT filed FROM tax_record WHERE resident_id = ? AND fiscal_year = ?", rs -> rs.getBoolean(1), residentId, fiscalYear);
  }

  // ---- use registrations (利用登録)

  /** The card's use registration at the 本籍地 {@code municipalityCode}, cancelled or not. */
  public Optional<UseRegistration> useRegistration(String municipalityCode, CardRef card) throws SQLException {
    return db.first(
        "SELECT member_id, filed_on, cancelled_on FROM use_registration"
            + " WHERE municipality_code = ? AND issuer_key_id = ? AND serial = ?",
        rs -> new UseRegistration(municipalityCode, card, rs.getLong(1), rs.getDate(2).toLocalDate(), date(rs, 3)),
        municipalityCode,
        card.issuerKeyId(),
        card.serial());
  }







  private static final String MEMBER_COLUMNS =
      "m.id, m.register_id, m.member_order, m.handle, m.resident_id, m.given_name, m.birth_date, m.sex, m.spouse_role,"
          + " m.father, m.mother, m.relationship, m.removed, m.support_measure";

  /** The columns of a {@link RegisterEntry}: a member joined with its register. */
  private static final String ENTRY_SELECT =
      "SELECT " + MEMBER_COLUMNS + ", " + REGISTER_COLUMNS + " FROM family_register_member m JOIN family_register f ON f.id = m.register_id";

  private Optional<FamilyRegisterMember> oneMember(String sql, Object... keys) throws SQLException {
    return db.first(sql, ResidentRegistry::member, keys);
  }


  private static FamilyRegisterMember member(ResultSet rs) throws SQLException {
    long residentId = rs.getLong(5);
    Long resident = rs.wasNull() ? null : residentId;
    return new FamilyRegisterMember(
        rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4), resident, rs.getString(6), rs.getDate(7).toLocalDate(),
        "M".equals(rs.getString(8)) ? Sex.MALE : Sex.FEMALE, rs.getString(9), rs.getString(10), rs.getString(11),
        rs.getString(12), rs.getBoolean(13), rs.getBoolean(14));
  }


  private Optional<Resident> one(String sql, Object key) throws SQLException {
    return db.first(sql, ResidentRegistry::resident, key);
  }


  private static Resident resident(ResultSet rs) throws SQLException {
    return new Resident(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getLong(4),
        rs.getInt(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        rs.getDate(10).toLocalDate(),
        "M".equals(rs.getString(11)) ? Sex.MALE : Sex.FEMALE,
        rs.getString(12),
        rs.getDate(13).toLocalDate(),
        rs.getDate(14).toLocalDate(),
        rs.getString(15),
        rs.getString(16),
        rs.getString(17),
        rs.getString(18),
        rs.getString(19),
        rs.getString(20),
        rs.getString(21),
        rs.getString(22),
        rs.getString(23),
        ResidentStatus.valueOf(rs.getString(24)),
        date(rs, 25),
        rs.getBoolean(26),
        rs.getBoolean(27));
  }

  private static LocalDate date(ResultSet rs, int column) throws SQLException {
    Date d = rs.getDate(column);
    return d == null ? null : d.toLocalDate();
  }
}

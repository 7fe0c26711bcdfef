package jp.kofu.issuer.registry;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import jp.kofu.issuer.document.FamilyRegisterCertificate;
import jp.kofu.issuer.document.IncomeTaxCertificate;
import jp.kofu.issuer.document.Sex;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.storage.Database;

/** Reads and writes the resident registry. Thread-safe; every read is live. */
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


  /** Writes households, residents and cards in one transaction (the seed tool's batch). */
  public void insert(Collection<Household> households, Collection<Resident> residents, Collection<CardRecord> cards)
      throws SQLException {
    db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("INSERT INTO household (id, municipality_code, postal_code, address) VALUES (?, ?, ?, ?)")) {
            for (Household h : households) {
              s.setLong(1, h.id());
              s.setString(2, h.municipalityCode());
              s.setString(3, h.postalCode());
              s.setString(4, h.address());
              s.addBatch();
            }
            s.executeBatch();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO resident (id, handle, municipality_code, household_id, household_order, family_name,"
                      + " given_name, family_name_kana, given_name_kana, birth_date, sex, relationship,"
                      + " became_resident_on, address_since, previous_address, domicile, domicile_head,"
                      + " domicile_municipality_code, resident_code, my_number, nationality, residence_status,"
                      + " residence_card_number, status, moved_in_on, support_measure, gaiji_pending)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Resident r : residents) {
              int i = 1;
              s.setLong(i++, r.id());
              s.setString(i++, r.handle());
              s.setString(i++, r.municipalityCode());
              s.setLong(i++, r.householdId());
              s.setInt(i++, r.householdOrder());
              s.setString(i++, r.familyName());
              s.setString(i++, r.givenName());
              s.setString(i++, r.familyNameKana());
              s.setString(i++, r.givenNameKana());
              s.setDate(i++, Date.valueOf(r.birthDate()));
              s.setString(i++, r.sex() == Sex.MALE ? "M" : "F");
              s.setString(i++, r.relationship());
              s.setDate(i++, Date.valueOf(r.becameResidentOn()));
              s.setDate(i++, Date.valueOf(r.addressSince()));
              s.setString(i++, r.previousAddress());
              s.setString(i++, r.domicile());
              s.setString(i++, r.domicileHead());
              s.setString(i++, r.domicileMunicipalityCode());
              s.setString(i++, r.residentCode());
              s.setString(i++, r.myNumber());
              s.setString(i++, r.nationality());
              s.setString(i++, r.residenceStatus());
              s.setString(i++, r.residenceCardNumber());
              s.setString(i++, r.status().name());
              if (r.movedInOn() == null) {
                s.setNull(i++, Types.DATE);
              } else {
                s.setDate(i++, Date.valueOf(r.movedInOn()));
              }
              s.setBoolean(i++, r.supportMeasure());
              s.setBoolean(i++, r.gaijiPending());
              s.addBatch();
            }
            s.executeBatch();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO card (issuer_key_id, serial, credential_kind, resident_id, usable_from) VALUES (?, ?, ?, ?, ?)")) {
            for (CardRecord card : cards) {
              s.setString(1, card.card().issuerKeyId());
              s.setString(2, card.card().serial());
              s.setString(3, card.card().kind().name());
              s.setLong(4, card.residentId());
              s.setDate(5, Date.valueOf(card.usableFrom()));
              s.addBatch();
            }
            s.executeBatch();
          }
          return null;
        });
  }

  private static final java.util.Set<String> NUMBERED_TABLES =
      java.util.Set.of("resident", "household", "family_register", "family_register_member", "family_register_event");

  /** The next free id of a table (the seed tool appends). */
  public long nextId(String table) throws SQLException {
    if (!NUMBERED_TABLES.contains(table)) {
      throw new IllegalArgumentException("table: " + table);
    }
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Sets a resident's status (move-out, death): what the counter records, read live at issuance. */
  public void setStatus(long residentId, ResidentStatus status) throws SQLException {
    db.update("UPDATE resident SET status = ? WHERE id = ?", status.name(), residentId);
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


  /** Records a 廃止 (the counter's act): from {@code on}, the registration is never certified. */
  public boolean cancelSealRegistration(String municipalityCode, String registrationNumber, LocalDate on) throws SQLException {
    return db.update(
            "UPDATE seal_registration SET cancelled_on = ? WHERE municipality_code = ? AND registration_number = ?"
                + " AND cancelled_on IS NULL",
            Date.valueOf(on),
            municipalityCode,
            registrationNumber)
        == 1;
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
        List<FamilyRegisterCertificate.Item> items = new ArrayList<>();
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
                  ? FamilyRegisterCertificate.Item.text(rs.getString(5), text)
                  : FamilyRegisterCertificate.Item.date(rs.getString(5), rs.getDate(7).toLocalDate()));
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


  /** Records whether a filed notice awaits recording in the register (the counter's act). */
  public void setNoticePending(long registerId, boolean pending) throws SQLException {
    db.update("UPDATE family_register SET notice_pending = ? WHERE id = ?", pending, registerId);
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
        List<IncomeTaxCertificate.Amount> incomes = new ArrayList<>();
        List<IncomeTaxCertificate.Amount> deductions = new ArrayList<>();
        a.setLong(1, residentId);
        a.setInt(2, fiscalYear);
        try (ResultSet ra = a.executeQuery()) {
          while (ra.next()) {
            var amount = new IncomeTaxCertificate.Amount(ra.getString(2), ra.getLong(3));
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


  /** Files a 利用登録 (the 本籍地 counter's act); it takes effect 5 business days later. */
  public void fileUseRegistration(UseRegistration registration) throws SQLException {
    insertRecords(
        new CertificateRecords(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(registration)));
  }

  /** Sets or lifts a support measure (支援措置) on a resident: read live at every issuance. */
  public void setSupportMeasure(long residentId, boolean measure) throws SQLException {
    db.update("UPDATE resident SET support_measure = ? WHERE id = ?", measure, residentId);
  }

  /** Writes seal registrations, family registers, tax records and use registrations in one transaction. */
  public void insertRecords(CertificateRecords records) throws SQLException {
    db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO seal_registration (municipality_code, registration_number, resident_id, registered_on,"
                      + " cancelled_on, impression_png, impression_size_mm) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (SealRegistration r : records.sealRegistrations()) {
              s.setString(1, r.municipalityCode());
              s.setString(2, r.registrationNumber());
              s.setLong(3, r.residentId());
              s.setDate(4, Date.valueOf(r.registeredOn()));
              setDate(s, 5, r.cancelledOn());
              s.setBytes(6, r.impressionPng());
              s.setBigDecimal(7, java.math.BigDecimal.valueOf(r.impressionSizeMm()));
              s.addBatch();
            }
            s.executeBatch();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO family_register (id, municipality_code, domicile, family_name, head_name, notice_pending)"
                      + " VALUES (?, ?, ?, ?, ?, ?)")) {
            for (FamilyRegister f : records.familyRegisters()) {
              s.setLong(1, f.id());
              s.setString(2, f.municipalityCode());
              s.setString(3, f.domicile());
              s.setString(4, f.familyName());
              s.setString(5, f.headName());
              s.setBoolean(6, f.noticePending());
              s.addBatch();
            }
            s.executeBatch();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO family_register_member (id, register_id, member_order, handle, resident_id, given_name,"
                      + " birth_date, sex, spouse_role, father, mother, relationship, removed, support_measure)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (FamilyRegisterMember m : records.familyRegisterMembers()) {
              int i = 1;
              s.setLong(i++, m.id());
              s.setLong(i++, m.registerId());
              s.setInt(i++, m.order());
              s.setString(i++, m.handle());
              if (m.residentId() == null) {
                s.setNull(i++, Types.BIGINT);
              } else {
                s.setLong(i++, m.residentId());
              }
              s.setString(i++, m.givenName());
              s.setDate(i++, Date.valueOf(m.birthDate()));
              s.setString(i++, m.sex() == Sex.MALE ? "M" : "F");
              s.setString(i++, m.spouseRole());
              s.setString(i++, m.father());
              s.setString(i++, m.mother());
              s.setString(i++, m.relationship());
              s.setBoolean(i++, m.removed());
              s.setBoolean(i++, m.supportMeasure());
              s.addBatch();
            }
            s.executeBatch();
          }
          try (PreparedStatement e =
                  c.prepareStatement("INSERT INTO family_register_event (id, register_id, member_id, seq, kind) VALUES (?, ?, ?, ?, ?)");
              PreparedStatement i =
                  c.prepareStatement(
                      "INSERT INTO family_register_event_item (event_id, seq, label, text_value, date_value) VALUES (?, ?, ?, ?, ?)")) {
            for (FamilyRegisterEvent ev : records.familyRegisterEvents()) {
              e.setLong(1, ev.id());
              e.setLong(2, ev.registerId());
              if (ev.memberId() == null) {
                e.setNull(3, Types.BIGINT);
              } else {
                e.setLong(3, ev.memberId());
              }
              e.setInt(4, ev.seq());
              e.setString(5, ev.kind());
              e.addBatch();
              int n = 0;
              for (FamilyRegisterCertificate.Item item : ev.items()) {
                i.setLong(1, ev.id());
                i.setInt(2, n++);
                i.setString(3, item.label());
                i.setString(4, item.text());
                setDate(i, 5, item.date());
                i.addBatch();
              }
            }
            e.executeBatch();
            i.executeBatch();
          }
          try (PreparedStatement s =
              c.prepareStatement("INSERT INTO family_register_annex (member_id, seq, address, since) VALUES (?, ?, ?, ?)")) {
            for (AnnexEntry a : records.annexEntries()) {
              s.setLong(1, a.memberId());
              s.setInt(2, a.seq());
              s.setString(3, a.address());
              s.setDate(4, Date.valueOf(a.since()));
              s.addBatch();
            }
            s.executeBatch();
          }
          try (PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO tax_record (resident_id, fiscal_year, filed, address, salary_revenue, salary_income,"
                          + " spouse_deduction, dependents, municipal_income_levy, municipal_per_capita,"
                          + " prefectural_income_levy, prefectural_per_capita, forest_environment_tax)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
              PreparedStatement a =
                  c.prepareStatement(
                      "INSERT INTO tax_record_amount (resident_id, fiscal_year, kind, seq, label, yen) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (TaxRecord t : records.taxRecords()) {
              int i = 1;
              s.setLong(i++, t.residentId());
              s.setInt(i++, t.fiscalYear());
              s.setBoolean(i++, t.filed());
              s.setString(i++, t.address());
              if (t.filed()) {
                s.setLong(i++, t.salaryRevenue());
                s.setLong(i++, t.salaryIncome());
                s.setBoolean(i++, t.spouseDeduction());
                s.setInt(i++, t.dependents());
                s.setLong(i++, t.municipalIncomeLevy());
                s.setLong(i++, t.municipalPerCapita());
                s.setLong(i++, t.prefecturalIncomeLevy());
                s.setLong(i++, t.prefecturalPerCapita());
                s.setLong(i++, t.forestEnvironmentTax());
              } else {
                for (int type : new int[] {Types.BIGINT, Types.BIGINT, Types.BOOLEAN, Types.INTEGER, Types.BIGINT, Types.BIGINT,
                    Types.BIGINT, Types.BIGINT, Types.BIGINT}) {
                  s.setNull(i++, type);
                }
              }
              s.addBatch();
              amounts(a, t, "INCOME", t.otherIncomes());
              amounts(a, t, "DEDUCTION", t.deductions());
            }
            s.executeBatch();
            a.executeBatch();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO use_registration (municipality_code, issuer_key_id, serial, member_id, filed_on, cancelled_on)"
                      + " VALUES (?, ?, ?, ?, ?, ?)")) {
            for (UseRegistration u : records.useRegistrations()) {
              s.setString(1, u.municipalityCode());
              s.setString(2, u.card().issuerKeyId());
              s.setString(3, u.card().serial());
              s.setLong(4, u.memberId());
              s.setDate(5, Date.valueOf(u.filedOn()));
              setDate(s, 6, u.cancelledOn());
              s.addBatch();
            }
            s.executeBatch();
          }
          return null;
        });
  }

  private static void amounts(PreparedStatement a, TaxRecord t, String kind, List<IncomeTaxCertificate.Amount> amounts)
      throws SQLException {
    int seq = 0;
    for (IncomeTaxCertificate.Amount amount : amounts) {
      a.setLong(1, t.residentId());
      a.setInt(2, t.fiscalYear());
      a.setString(3, kind);
      a.setInt(4, seq++);
      a.setString(5, amount.label());
      a.setLong(6, amount.yen());
      a.addBatch();
    }
  }

  private static void setDate(PreparedStatement s, int index, LocalDate day) throws SQLException {
    if (day == null) {
      s.setNull(index, Types.DATE);
    } else {
      s.setDate(index, Date.valueOf(day));
    }
  }

  private static final String MEMBER_COLUMNS =
      "m.id, m.register_id, m.member_order, m.handle, m.resident_id, m.given_name, m.birth_date, m.sex, m.spouse_role,"
          + " m.father, m.mother, m.relationship, m.removed, m.support_measure";

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

package jp.kofu.issuer.seed;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
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
import jp.kofu.issuer.registry.Sex;
import jp.kofu.issuer.registry.TaxRecord;
import jp.kofu.issuer.registry.UseRegistration;
import jp.kofu.storage.Database;

/**
 * The registry's write side: the seed's bulk writes (households, residents, cards, certificate
 * records, in one transaction each) and the counter's acts a synthetic world replays (a move-out,
 * a death, a cancelled seal, a support measure, a 利用登録). Issuance never writes: it reads live
 * through {@link jp.kofu.issuer.registry.ResidentRegistry}.
 */
public final class RegistryWriter {
  private final Database db;

  public RegistryWriter(Database db) {
    this.db = db;
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

  /** Records whether a filed notice awaits recording in the register (the counter's act). */
  public void setNoticePending(long registerId, boolean pending) throws SQLException {
    db.update("UPDATE family_register SET notice_pending = ? WHERE id = ?", pending, registerId);
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
              for (FamilyRegisterEvent.Item item : ev.items()) {
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

  private static void amounts(PreparedStatement a, TaxRecord t, String kind, List<TaxRecord.Amount> amounts)
      throws SQLException {
    int seq = 0;
    for (TaxRecord.Amount amount : amounts) {
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
}

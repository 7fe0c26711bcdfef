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
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT c.credential_kind, c.resident_id, r.municipality_code, c.usable_from"
                    + " FROM card c JOIN resident r ON r.id = c.resident_id"
                    + " WHERE c.issuer_key_id = ? AND c.serial = ?")) {
      s.setString(1, issuerKeyId);
      s.setString(2, serial);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new CardRecord(
                new CardRef(serial, issuerKeyId, CardRef.CredentialKind.valueOf(rs.getString(1))),
                rs.getLong(2),
                rs.getString(3),
                rs.getDate(4).toLocalDate()));
      }
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
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT " + RESIDENT_COLUMNS + " FROM resident r WHERE r.household_id = ? ORDER BY r.household_order, r.id")) {
      s.setLong(1, householdId);
      try (ResultSet rs = s.executeQuery()) {
        List<Resident> out = new ArrayList<>();
        while (rs.next()) {
          out.add(resident(rs));
        }
        return out;
      }
    }
  }

  public Optional<Household> household(long id) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement("SELECT id, municipality_code, postal_code, address FROM household WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new Household(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
            : Optional.empty();
      }
    }
  }

  /** The residents of a municipality that have a card, by id (the seed tool's and the demo's view). */
  public List<Long> residentsWithCards(String municipalityCode, int limit) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT DISTINCT r.id FROM resident r JOIN card c ON c.resident_id = r.id"
                    + " WHERE r.municipality_code = ? ORDER BY r.id LIMIT ?")) {
      s.setString(1, municipalityCode);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<Long> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
        return out;
      }
    }
  }

  public long countResidents(String municipalityCode) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM resident WHERE municipality_code = ?")) {
      s.setString(1, municipalityCode);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
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

  /** The next free resident and household ids (the seed tool appends). */
  public long nextId(String table) throws SQLException {
    if (!table.equals("resident") && !table.equals("household")) {
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
    update("UPDATE resident SET status = ? WHERE id = ?", status.name(), residentId);
  }

  private void update(String sql, Object... args) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    }
  }

  private Optional<Resident> one(String sql, Object key) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(resident(rs)) : Optional.empty();
      }
    }
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

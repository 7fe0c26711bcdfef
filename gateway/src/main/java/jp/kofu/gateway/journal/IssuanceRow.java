package jp.kofu.gateway.journal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.Relation;

/**
 * The one place that knows how an {@link Issuance} is stored in the {@code issuance} table: each
 * column once, with its part of the record, its type and its value. The column list, the binds of
 * an insert or an update, the read of a row, the events' payloads and the audit's comparison of a
 * record with its events are all derived from {@link #COLUMNS}: a new column is one entry here
 * (and the field in its part).
 */
final class IssuanceRow {
  private IssuanceRow() {}

  /** Which part of the record a column belongs to (what a transition writes). */
  enum Part {
    ORDER,
    STATE,
    ATTEMPT,
    ISSUED,
    SETTLED
  }

  /** How a column's Java value is stored and chained. */
  private enum Type {
    TEXT(Types.VARCHAR),
    INT(Types.INTEGER),
    TIME(Types.TIMESTAMP_WITH_TIMEZONE),
    DIGEST(Types.VARCHAR),
    RELATION(Types.VARCHAR),
    CERTIFICATE_TYPE(Types.VARCHAR),
    STATE(Types.VARCHAR),
    VOID_REASON(Types.VARCHAR);

    final int sql;

    Type(int sql) {
      this.sql = sql;
    }

    void bind(PreparedStatement s, int i, Object v) throws SQLException {
      if (v == null) {
        s.setNull(i, sql);
        return;
      }
      switch (this) {
        case TEXT -> s.setString(i, (String) v);
        case INT -> s.setInt(i, (Integer) v);
        case TIME -> s.setObject(i, ts((Instant) v));
        case DIGEST -> s.setString(i, ((Digest) v).hex());
        case RELATION, CERTIFICATE_TYPE, STATE, VOID_REASON -> s.setString(i, ((Enum<?>) v).name());
      }
    }

    Object read(ResultSet rs, String column) throws SQLException {
      if (this == INT) {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
      }
      if (this == TIME) {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
      }
      String text = rs.getString(column);
      if (text == null) {
        return null;
      }
      return switch (this) {
        case TEXT -> text;
        case DIGEST -> Digest.ofHex(text.strip());
        case RELATION -> Relation.valueOf(text);
        case CERTIFICATE_TYPE -> CertificateType.valueOf(text);
        case STATE -> IssuanceState.valueOf(text);
        case VOID_REASON -> VoidReason.valueOf(text);
        case INT, TIME -> throw new AssertionError(this);
      };
    }

    /** The value as an event's payload (canonical JSON) and the audit have it. */
    Object chained(Object v) {
      if (v instanceof Digest d) {
        return d.hex();
      }
      if (v instanceof Enum<?> e) {
        return e.name();
      }
      return v;
    }
  }

  /**
   * One column.
   *
   * @param inPayload whether the event of its part's transition carries it (under its name)
   */
  record Column(String name, Part part, Type type, boolean inPayload, Function<Issuance, Object> value) {
    Object of(Issuance i) {
      return value.apply(i);
    }
  }

  private static Column order(String name, Type type, Function<Issuance.Order, Object> value) {
    return new Column(name, Part.ORDER, type, true, i -> value.apply(i.order()));
  }

  private static Column issued(String name, Type type, Function<IssuedFacts, Object> value) {
    return new Column(name, Part.ISSUED, type, true, i -> i.issued() == null ? null : value.apply(i.issued().facts()));
  }

  private static Column settled(String name, Type type, boolean inPayload, Function<Issuance.Settled, Object> value) {
    return new Column(name, Part.SETTLED, type, inPayload, i -> i.settled() == null ? null : value.apply(i.settled()));
  }

  static final Column ISSUANCE_ID = new Column("issuance_id", Part.ORDER, Type.TEXT, false, Issuance::issuanceId);
  static final Column STATE = new Column("state", Part.STATE, Type.STATE, false, Issuance::state);
  static final Column ATTEMPT_ID = new Column("attempt_id", Part.ATTEMPT, Type.TEXT, false, i -> i.attempt().id());

  static final List<Column> COLUMNS =
      List.of(
          ISSUANCE_ID,
          order("order_id", Type.TEXT, Issuance.Order::orderId),
          order("order_digest", Type.DIGEST, Issuance.Order::orderDigest),
          order("card_key", Type.DIGEST, Issuance.Order::cardKey),
          order("session_id", Type.TEXT, Issuance.Order::sessionId),
          order("store_chain", Type.TEXT, Issuance.Order::storeChain),
          order("store", Type.TEXT, Issuance.Order::store),
          order("terminal", Type.TEXT, Issuance.Order::terminal),
          order("municipality_code", Type.TEXT, Issuance.Order::municipalityCode),
          order("relation", Type.RELATION, Issuance.Order::relation),
          order("certificate_type", Type.CERTIFICATE_TYPE, Issuance.Order::certificateType),
          order("copies", Type.INT, Issuance.Order::copies),
          order("binding", Type.DIGEST, Issuance.Order::binding),
          new Column("ordered_at", Part.ORDER, Type.TIME, false, Issuance::orderedAt),
          STATE,
          ATTEMPT_ID,
          new Column("attempt_started_at", Part.ATTEMPT, Type.TIME, false, i -> i.attempt().startedAt()),
          issued("fee_per_copy_yen", Type.INT, IssuedFacts::feePerCopyYen),
          issued("fee_yen", Type.INT, IssuedFacts::feeYen),
          issued("document_sha256", Type.DIGEST, IssuedFacts::documentSha256),
          issued("page_count", Type.INT, IssuedFacts::pageCount),
          issued("byte_size", Type.INT, IssuedFacts::byteSize),
          issued("verification_code", Type.TEXT, IssuedFacts::verificationCode),
          new Column("issued_at", Part.ISSUED, Type.TIME, false, Issuance::issuedAt),
          settled("refusal_reason", Type.TEXT, false, Issuance.Settled::refusalReason),
          settled("refunded_yen", Type.INT, true, Issuance.Settled::refundedYen),
          settled("void_reason", Type.VOID_REASON, true, Issuance.Settled::voidReason),
          settled("print_failure", Type.TEXT, true, Issuance.Settled::printFailure),
          settled("settled_at", Type.TIME, false, Issuance.Settled::at));

  /** Every column, for a SELECT. */
  static final String NAMES = COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "));

  /** The INSERT of a whole record, bound by {@link #bindAll}. */
  static final String INSERT =
      "INSERT INTO issuance (" + NAMES + ") VALUES (" + COLUMNS.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";

  /** Binds every column of {@code i} in {@link #COLUMNS} order, from parameter 1; returns the next. */
  static int bindAll(PreparedStatement s, Issuance i) throws SQLException {
    return bind(s, 1, COLUMNS, i);
  }

  /** The columns of these parts, in order. */
  static List<Column> of(Part... parts) {
    List<Part> wanted = List.of(parts);
    return COLUMNS.stream().filter(c -> wanted.contains(c.part())).toList();
  }

  /** {@code "a = ?, b = ?"} for these columns. */
  static String assignments(List<Column> columns) {
    return columns.stream().map(c -> c.name() + " = ?").collect(Collectors.joining(", "));
  }

  static int bind(PreparedStatement s, int from, List<Column> columns, Issuance i) throws SQLException {
    int n = from;
    for (Column c : columns) {
      c.type().bind(s, n++, c.of(i));
    }
    return n;
  }

  /** The current row as a record. */
  static Issuance read(ResultSet rs) throws SQLException {
    Map<Column, Object> v = new java.util.HashMap<>();
    for (Column c : COLUMNS) {
      v.put(c, c.type().read(rs, c.name()));
    }
    Function<String, Object> at = name -> v.get(column(name));
    Issuance.Order order =
        new Issuance.Order(
            (String) at.apply("issuance_id"),
            (String) at.apply("order_id"),
            (Digest) at.apply("order_digest"),
            (Digest) at.apply("card_key"),
            (String) at.apply("session_id"),
            (String) at.apply("store_chain"),
            (String) at.apply("store"),
            (String) at.apply("terminal"),
            (String) at.apply("municipality_code"),
            (Relation) at.apply("relation"),
            (CertificateType) at.apply("certificate_type"),
            (Integer) at.apply("copies"),
            (Digest) at.apply("binding"));
    Issuance.Issued issued =
        at.apply("issued_at") == null
            ? null
            : new Issuance.Issued(
                new IssuedFacts(
                    (Integer) at.apply("fee_per_copy_yen"),
                    (Integer) at.apply("fee_yen"),
                    (Digest) at.apply("document_sha256"),
                    (Integer) at.apply("page_count"),
                    (Integer) at.apply("byte_size"),
                    (String) at.apply("verification_code")),
                (Instant) at.apply("issued_at"));
    Issuance.Settled settled =
        at.apply("settled_at") == null
            ? null
            : new Issuance.Settled(
                (Instant) at.apply("settled_at"),
                (String) at.apply("refusal_reason"),
                (Integer) at.apply("refunded_yen"),
                (VoidReason) at.apply("void_reason"),
                (String) at.apply("print_failure"));
    return new Issuance(
        order,
        (Instant) at.apply("ordered_at"),
        (IssuanceState) at.apply("state"),
        new Issuance.Attempt((String) at.apply("attempt_id"), (Instant) at.apply("attempt_started_at")),
        issued,
        settled);
  }

  private static final Map<String, Column> BY_NAME = COLUMNS.stream().collect(Collectors.toMap(Column::name, c -> c));

  static Column column(String name) {
    Column c = BY_NAME.get(name);
    if (c == null) {
      throw new IllegalArgumentException("issuance column: " + name);
    }
    return c;
  }

  /** What the event of a transition into {@code part} says of {@code i}: its columns marked for the payload. */
  static Map<String, Object> payload(Issuance i, Part part) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Column c : COLUMNS) {
      if (c.part() == part && c.inPayload()) {
        m.put(c.name(), c.type().chained(c.of(i)));
      }
    }
    return m;
  }

  /**
   * The record as the audit compares it with what its events say: every column but the attempt's
   * (which no event records) and the id (which every event carries), as chained values.
   */
  static Map<String, Object> audited(Issuance i) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Column c : COLUMNS) {
      if (c.part() != Part.ATTEMPT && c != ISSUANCE_ID) {
        m.put(c.name(), c.type().chained(c.of(i)));
      }
    }
    return m;
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static OffsetDateTime ts(Instant instant) {
    return micros(instant).atOffset(ZoneOffset.UTC);
  }

  /** Times are kept to the microsecond (what PostgreSQL stores), so that what is read back is what was chained. */
  static Instant micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }
}

package jp.kofu.gateway.settlement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.IssuanceState;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.reference.LocalGovernment;
import jp.kofu.issuer.reference.LocalGovernmentCodes;
import jp.kofu.storage.Database;

/**
 * One day's settlement, from the journal. A day is a day in Japan (JST), and an issuance belongs
 * to the day its document was issued, whenever it was later delivered or voided: so a day's
 * charges always equal its deliveries plus its refunds plus what is still pending, and a day is
 * final once nothing of it is pending (reconciliation voids what stays unconfirmed).
 */
public final class DailySettlement {
  private DailySettlement() {}

  /** A day's settlement, per municipality and per store chain, read at journal head {@code head}. */
  public record Report(
      LocalDate day,
      int commissionPerDocumentYen,
      List<SettlementLine> municipalities,
      List<SettlementLine> storeChains,
      SettlementLine total,
      IssuanceJournal.Head head) {

    /** Some issuances of the day are not yet confirmed or voided: the figures may still change. */
    public boolean provisional() {
      return total.pending() > 0;
    }
  }

  public static Report compute(IssuanceJournal journal, LocalDate day, int commissionPerDocumentYen) {
    if (commissionPerDocumentYen < 0) {
      throw new IllegalArgumentException("commissionPerDocumentYen: " + commissionPerDocumentYen + " (expected: >= 0)");
    }
    Instant from = day.atStartOfDay(JapanTime.ZONE).toInstant();
    Instant to = day.plusDays(1).atStartOfDay(JapanTime.ZONE).toInstant();
    Map<String, Tally> byMunicipality = new TreeMap<>();
    Map<String, Tally> byChain = new TreeMap<>();
    Tally total = new Tally();
    IssuanceJournal.Head head;
    Database db = journal.database();
    try (Connection c = db.connection()) {
      // One snapshot: the figures and the head they were read at agree.
      c.setAutoCommit(false);
      c.setReadOnly(true);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        // One range of issuance_state (state, issued_at) per state: the journal has no index on
        // issued_at alone (V40), and every state is asked, so none is left out.
        try (PreparedStatement s =
            c.prepareStatement(
                "SELECT municipality_code, store_chain, state, copies, fee_yen, refunded_yen FROM issuance"
                    + " WHERE state = ? AND issued_at >= ? AND issued_at < ?")) {
          s.setObject(2, from.atOffset(ZoneOffset.UTC));
          s.setObject(3, to.atOffset(ZoneOffset.UTC));
          s.setFetchSize(1000);
          for (IssuanceState inState : IssuanceState.values()) {
            s.setString(1, inState.name());
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                IssuanceState state = IssuanceState.valueOf(rs.getString(3));
                int copies = rs.getInt(4);
                int fee = rs.getInt(5);
                int refunded = rs.getInt(6);
                for (Tally t :
                    List.of(
                        byMunicipality.computeIfAbsent(rs.getString(1), k -> new Tally()),
                        byChain.computeIfAbsent(rs.getString(2), k -> new Tally()),
                        total)) {
                  t.add(state, copies, fee, refunded);
                }
              }
            }
          }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT seq, hash FROM journal_head WHERE id = 1");
            ResultSet rs = s.executeQuery()) {
          rs.next();
          head = new IssuanceJournal.Head(rs.getLong(1), rs.getString(2));
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("journal unreadable (SQLSTATE " + e.getSQLState() + ")", e);
    }
    LocalGovernmentCodes codes = LocalGovernmentCodes.bundled();
    return new Report(
        day,
        commissionPerDocumentYen,
        lines(byMunicipality, code -> codes.find(code).map(LocalGovernment::fullName).orElse(""), commissionPerDocumentYen),
        lines(byChain, chain -> chain, commissionPerDocumentYen),
        total.line("TOTAL", "", commissionPerDocumentYen),
        head);
  }

  private static List<SettlementLine> lines(Map<String, Tally> tallies, Function<String, String> name, int commission) {
    List<SettlementLine> out = new ArrayList<>();
    tallies.forEach((key, t) -> out.add(t.line(key, name.apply(key), commission)));
    return List.copyOf(out);
  }

  private static final class Tally {
    int issued;
    int delivered;
    int voided;
    int pending;
    long copiesDelivered;
    long gross;
    long deliveredYen;
    long refunded;
    long pendingYen;

    void add(IssuanceState state, int copies, int fee, int refundedYen) {
      issued++;
      gross += fee;
      switch (state) {
        case DELIVERED -> {
          delivered++;
          copiesDelivered += copies;
          deliveredYen += fee;
        }
        case VOIDED -> {
          voided++;
          refunded += refundedYen;
          // A void refunds the whole fee; anything kept would be a delivery in all but name.
          deliveredYen += fee - refundedYen;
        }
        case ISSUED -> {
          pending++;
          pendingYen += fee;
        }
        default -> throw new IllegalStateException("an issued document in state " + state);
      }
    }

    SettlementLine line(String key, String name, int commission) {
      long net = gross - refunded;
      long commissionYen = copiesDelivered * commission;
      return new SettlementLine(
          key, name, issued, delivered, voided, pending, copiesDelivered, gross, deliveredYen, refunded, pendingYen, net,
          commissionYen, net - commissionYen);
    }
  }
}

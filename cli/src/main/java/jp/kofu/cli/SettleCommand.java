package jp.kofu.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import jp.kofu.gateway.config.Durations;
import jp.kofu.gateway.journal.Reconciler;
import jp.kofu.gateway.settlement.DailySettlement;
import jp.kofu.gateway.settlement.SettlementCsv;
import jp.kofu.gateway.settlement.SettlementLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kofu settle --date D}: one day's settlement reports. */
@Command(
    name = "settle",
    mixinStandardHelpOptions = true,
    description = {
      "Writes one day's settlement reports (CSV).",
      "",
      "Writes the settlement of one day (JST) from the journal, per municipality",
      "and per store chain: documents issued, delivered, voided and pending; fees",
      "charged, delivered, refunded and net; the store chains' commission per",
      "printed copy; what is payable to the municipalities. An issuance counts on",
      "the day its document was issued. First voids and refunds what stayed",
      "unconfirmed past journal.unconfirmed-timeout, as the gateways do."
    })
final class SettleCommand implements Callable<Integer> {
  @Mixin JournalAccess access;

  @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "The day (in Japan) to settle.")
  LocalDate date;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/settlement", description = "Where the CSV files go. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(
      names = "--commission",
      paramLabel = "YEN",
      description = "Commission per printed copy, in yen. Default: settlement.commission-per-document-yen of the config (0).")
  Integer commission;

  @Override
  public Integer call() {
    if (commission != null && commission < 0) {
      System.err.println("--commission: " + commission + " (expected: >= 0)");
      return 2;
    }
    try (JournalAccess.Opened j = access.open()) {
      Reconciler reconciler = new Reconciler(j.journal(), Clock.systemUTC(), j.config().journal().unconfirmedTimeout());
      Reconciler.Result reconciled = reconciler.run();
      if (reconciled.total() > 0) {
        System.out.println(
            "reconciled first: voided and refunded " + reconciled.unconfirmedVoided() + " issuances unconfirmed for over "
                + Durations.format(reconciler.timeout()) + ", voided " + reconciled.abandonedVoided() + " abandoned orders");
      }
      int perCopy = commission != null ? commission : j.config().settlement().commissionPerDocumentYen();
      DailySettlement.Report report = DailySettlement.compute(j.journal(), date, perCopy);
      List<Path> files = SettlementCsv.write(report, out);
      SettlementLine t = report.total();
      System.out.printf("settlement of %s (JST), commission %,d yen per printed copy%n", date, perCopy);
      System.out.printf("  documents: %,d issued = %,d delivered + %,d voided + %,d pending%n", t.issued(), t.delivered(), t.voided(), t.pending());
      System.out.printf(
          "  fees:      %,d yen charged = %,d delivered + %,d refunded + %,d pending%n",
          t.grossYen(), t.deliveredYen(), t.refundedYen(), t.pendingYen());
      System.out.printf(
          "  net %,d yen - commission %,d yen (%,d copies printed) = %,d yen payable to %d municipalit%s%n",
          t.netYen(), t.commissionYen(), t.copiesDelivered(), t.payableYen(), report.municipalities().size(),
          report.municipalities().size() == 1 ? "y" : "ies");
      if (report.provisional()) {
        System.out.printf(
            "  PROVISIONAL: %d issuances of this day are not yet confirmed; run settle again after %s%n",
            t.pending(), Durations.format(reconciler.timeout()));
      }
      System.out.println("  read at journal head " + report.head() + " (./kofu audit verify --anchor " + report.head() + " proves it later)");
      files.forEach(f -> System.out.println("wrote " + f));
      return 0;
    } catch (JournalAccess.Unavailable e) {
      System.err.println("kofu settle: " + e.getMessage());
      return Errors.FAILED;
    } catch (RuntimeException e) {
      // The journal went away mid-way (JOURNAL_UNAVAILABLE): say so, without a stack trace.
      System.err.println("kofu settle: " + e.getMessage());
      return Errors.FAILED;
    }
  }
}

package jp.kofu.cli;

import java.util.concurrent.Callable;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.JournalAudit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kofu audit ...}: is the journal what the gateways wrote? */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Checks the journal for tampering.",
    subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Checks that the journal was not tampered with.",
        "",
        "Verifies the journal's chain (every event HMAC-chained to the one before,",
        "under a key derived from the cluster secret), that every issuance record",
        "is exactly what its events say, that every transition was legal, and that",
        "documents are held only while issued: finds an edited, deleted, inserted",
        "or reordered event or record. With --anchor, also proves that the chain",
        "still passes through a head recorded earlier (a truncation too).",
        "Exit status 0 when intact, 1 when not or when unreadable (the message says which)."
      })
  static final class Verify implements Callable<Integer> {
    @Mixin JournalAccess access;

    @Option(names = "--anchor", paramLabel = "SEQ:HASH", description = "A head printed earlier by audit verify or settle.")
    String anchor;

    @Override
    public Integer call() {
      IssuanceJournal.Head expected = null;
      if (anchor != null) {
        int colon = anchor.indexOf(':');
        try {
          expected = new IssuanceJournal.Head(Long.parseLong(anchor.substring(0, colon)), anchor.substring(colon + 1));
        } catch (RuntimeException e) {
          System.err.println("--anchor: '" + anchor + "' (expected: SEQ:HASH, as printed by audit verify)");
          return 2;
        }
        if (expected.seq() < 0 || !expected.hash().matches("[0-9a-f]{64}")) {
          System.err.println("--anchor: '" + anchor + "' (expected: SEQ:HASH, as printed by audit verify)");
          return 2;
        }
      }
      try (JournalAccess.Opened j = access.open()) {
        JournalAudit.Report r = new JournalAudit(j.journal()).verify(expected);
        if (r.intact()) {
          System.out.printf("journal intact: %,d events, %,d issuances%n", r.events(), r.issuances());
          if (expected != null) {
            System.out.println("  the chain passes through the anchor " + expected);
          }
          System.out.println("  head " + r.head());
          System.out.println("  record the head elsewhere: ./kofu audit verify --anchor " + r.head() + " proves later that nothing up to it changed");
          return 0;
        }
        System.out.printf("JOURNAL TAMPERED: %d finding%s%s%n", r.findings().size(), r.findings().size() == 1 ? "" : "s", r.truncated() ? " (and more)" : "");
        r.findings().forEach(f -> System.out.println("  " + f));
        return 1;
      } catch (JournalAccess.Unavailable e) {
        System.err.println("kofu audit verify: " + e.getMessage());
        return Errors.FAILED;
      } catch (RuntimeException e) {
        // The journal went away mid-way (JOURNAL_UNAVAILABLE): say so, without a stack trace.
        System.err.println("kofu audit verify: " + e.getMessage());
        return Errors.FAILED;
      }
    }
  }
}

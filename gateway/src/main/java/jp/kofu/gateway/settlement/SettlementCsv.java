package jp.kofu.gateway.settlement;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a day's settlement as two CSV files (UTF-8, a header row, a TOTAL row last):
 * {@code settlement-DAY-municipalities.csv} and {@code settlement-DAY-store-chains.csv}. Each is
 * written to a temporary file and moved into place, so a reader never sees half a report.
 */
public final class SettlementCsv {
  private static final CsvMapper CSV = new CsvMapper();

  private SettlementCsv() {}

  /** Writes both files into {@code dir}; returns their paths. */
  public static List<Path> write(DailySettlement.Report report, Path dir) {
    try {
      Files.createDirectories(dir);
      Path municipalities = dir.resolve("settlement-" + report.day() + "-municipalities.csv");
      Path chains = dir.resolve("settlement-" + report.day() + "-store-chains.csv");
      write(municipalities, List.of("municipality_code", "municipality_name"), report.municipalities(), report.total(), true);
      write(chains, List.of("store_chain"), report.storeChains(), report.total(), false);
      return List.of(municipalities, chains);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, List<String> keyColumns, List<SettlementLine> lines, SettlementLine total, boolean named)
      throws IOException {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    keyColumns.forEach(schema::addColumn);
    for (String c : SettlementLine.COLUMNS) {
      schema.addNumberColumn(c);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
        SequenceWriter rows = CSV.writer(schema.build()).writeValues(out)) {
      for (SettlementLine l : lines) {
        rows.write(row(named ? List.of(l.key(), l.name()) : List.of(l.key()), l));
      }
      rows.write(row(named ? List.of(total.key(), "") : List.of(total.key()), total));
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Object[] row(List<String> keys, SettlementLine l) {
    List<Object> row = new ArrayList<>(keys);
    row.addAll(List.of(l.values()));
    return row.toArray();
  }
}

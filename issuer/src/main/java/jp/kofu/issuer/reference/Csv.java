package jp.kofu.issuer.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reads the bundled CSV files: UTF-8, one header row, no quoting. */
final class Csv {
  private Csv() {}

  static void read(String resource, int columns, Consumer<String[]> row) {
    try (InputStream in = Csv.class.getResourceAsStream("/jp/kofu/issuer/data/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing bundled data: " + resource);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
      reader.readLine(); // header
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) {
          continue;
        }
        String[] f = split(line, columns);
        row.accept(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] split(String line, int columns) {
    List<String> out = new ArrayList<>(columns);
    int start = 0;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == ',') {
        out.add(line.substring(start, i));
        start = i + 1;
      }
    }
    out.add(line.substring(start));
    while (out.size() < columns) {
      out.add("");
    }
    return out.toArray(String[]::new);
  }
}

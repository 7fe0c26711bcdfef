package jp.kofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load simulator end to end: an in-process world over real TLS sockets, a short run. */
class SimLoadCommandTest {
  @TempDir Path dir;

  @Test
  void runsTheMixAgainstAnInProcessWorldAndWritesTheReport() throws Exception {
    Path report = dir.resolve("report");
    int exit =
        Main.commandLine()
            .execute("sim", "load", "--terminals", "8", "--rate", "25/s", "--duration", "4s", "--warmup", "1s",
                "--data", dir.resolve("world").toString(), "--municipalities", "2", "--residents", "300",
                "--report", report.toString());

    assertThat(exit).isZero();
    assertThat(report.resolve("summary.txt")).exists();
    assertThat(Files.readString(report.resolve("report.html"))).contains("<svg").contains("end to end");
    JsonNode json = new ObjectMapper().readTree(report.resolve("report.json").toFile());
    assertThat(json.get("arrivals").asLong()).isBetween(90L, 110L);
    assertThat(json.get("misissuance")).isEmpty();
    assertThat(json.get("latency_ms").get("complete").get("count").asLong()).isPositive();
    assertThat(json.get("outcomes").toString()).contains("ok: issue").doesNotContain("MISISSUANCE");
  }
}

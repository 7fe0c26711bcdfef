package jp.kofu.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The copiers' JVM of a figure ({@link Figures}, {@link StreamCost}): a {@code CopierProcess}
 * driven one command and one answer at a time over its standard input and output, so that the
 * copiers' CPU is spent in a process of its own and not counted as the server's.
 */
final class CopierJvm implements AutoCloseable {
  private final Process process;
  private final PrintWriter commands;
  private final BufferedReader answers;

  /**
   * Starts a {@code CopierProcess} in a JVM of its own, with at most {@code heap} of heap, as
   * copiers {@code terminals} (comma-separated) of the world's residents {@code residents}
   * (comma-separated ids), connected to the world's gateway, its clock at {@code at}.
   */
  static CopierJvm start(BenchWorld world, String heap, java.time.Instant at, String terminals, String residents) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "-Xmx" + heap));
    // figures.load.report (the load run's report, HdrHistogram logs included) is written there.
    if (System.getProperty("figures.load.report") != null) {
      command.add("-Dfigures.load.report=" + System.getProperty("figures.load.report"));
    }
    command.addAll(
        List.of(
            CopierProcess.class.getName(),
            "127.0.0.1:" + world.world.address().getPort(),
            world.world.pki().directory().toString(),
            world.world.walletDir().toString(),
            at.toString(),
            terminals,
            residents));
    return new CopierJvm(command);
  }

  CopierJvm(List<String> command) throws IOException {
    process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Runs one command; returns its answer ({@code ok ...}). */
  String run(String command) {
    commands.println(command);
    try {
      String answer = answers.readLine();
      while (answer != null && !answer.startsWith("ok ") && !answer.startsWith("error ")) {
        answer = answers.readLine(); // a log line on stdout
      }
      if (answer == null || !answer.startsWith("ok ")) {
        throw new IllegalStateException("copiers: " + command.split(" ")[0] + ": " + answer);
      }
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}

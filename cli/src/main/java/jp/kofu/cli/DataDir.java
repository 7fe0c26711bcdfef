package jp.kofu.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data DIR}: where the development world lives. */
final class DataDir {
  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "var",
      description = "Where the development world is kept (trust world, registry, journal, wallet). Default: ${DEFAULT-VALUE}.")
  Path dir;
}

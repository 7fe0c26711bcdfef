package jp.kofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgSpec;

/** Every command's help fits an 80-column terminal as written, and says what each option is for. */
class CliHelpTest {
  private static List<CommandLine> everyCommand(CommandLine c) {
    List<CommandLine> all = new ArrayList<>(List.of(c));
    c.getSubcommands().values().stream().distinct().forEach(s -> all.addAll(everyCommand(s)));
    return all;
  }

  /** Terminal columns: Japanese characters take two. */
  private static int columns(String line) {
    return line.codePoints().map(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN
        || Character.UnicodeScript.of(cp) == Character.UnicodeScript.HIRAGANA || Character.UnicodeScript.of(cp) == Character.UnicodeScript.KATAKANA
        || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF60) ? 2 : 1).sum();
  }

  private static String help(CommandLine c) {
    c.setUsageHelpWidth(80);
    return c.getUsageMessage(Ansi.OFF);
  }

  @Test
  void everyHelpFitsEightyColumnsAndItsParagraphsAreNotWrappedAgain() {
    List<CommandLine> commands = everyCommand(Main.commandLine());
    assertThat(commands).hasSizeGreaterThan(15);
    for (CommandLine c : commands) {
      String name = c.getCommandSpec().qualifiedName();
      String help = help(c);
      assertThat(help.lines()).as(name + " --help:\n" + help).allSatisfy(line -> assertThat(columns(line)).isLessThanOrEqualTo(80));
      // No description is wrapped twice: a paragraph's lines are filled to the width, except its
      // last; a line wrapped again would leave a ragged one- or two-word line behind.
      List<String> lines = help.lines().toList();
      int start = lines.indexOf(lines.stream().filter(l -> !l.startsWith("Usage:") && !l.startsWith(" ")).findFirst().orElseThrow());
      for (int i = start; i + 1 < lines.size() && !lines.get(i + 1).startsWith(" "); i++) {
        String line = lines.get(i);
        String next = lines.get(i + 1);
        if (!line.isBlank() && !next.isBlank() && !next.startsWith("Commands:")) {
          assertThat(columns(line) + 1 + columns(next.split(" ")[0]))
              .as(name + ": ragged line '" + line + "':\n" + help)
              .isGreaterThanOrEqualTo(80); // picocli fills to 79 columns
        }
      }
    }
  }

  @Test
  void everyOptionAndParameterIsDescribed() {
    for (CommandLine c : everyCommand(Main.commandLine())) {
      String name = c.getCommandSpec().qualifiedName();
      List<ArgSpec> args = new ArrayList<>(c.getCommandSpec().options());
      args.addAll(c.getCommandSpec().positionalParameters());
      for (ArgSpec a : args) {
        String label = a.isOption() ? ((CommandLine.Model.OptionSpec) a).longestName() : a.paramLabel();
        String description = String.join(" ", a.description()).replace("Default: ${DEFAULT-VALUE}.", "").strip();
        assertThat(description).as(name + " " + label + " has no description").isNotBlank();
      }
    }
  }

  @Test
  void helpExitsZeroOnStdout() {
    var r = JournalCommandsTest.kofu("sim", "load", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("Usage: kofu sim load");
    assertThat(r.err()).isEmpty();
  }
}

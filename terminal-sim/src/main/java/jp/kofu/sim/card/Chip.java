package jp.kofu.sim.card;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * What a card keeps in its chip: its PIN and how many wrong entries it still accepts. In memory,
 * or in the card's directory ({@code chip.properties}), so that a card locked in one process is
 * locked in the next, as a real card is wherever it is inserted.
 */
abstract class Chip {
  /** The chip's state. */
  record State(String pin, int remainingTries) {}

  /** Reads the state, lets {@code change} compute the next one, stores it; one at a time. */
  abstract State update(UnaryOperator<State> change);

  static Chip inMemory(String pin, int tries) {
    return new Chip() {
      private State state = new State(pin, tries);

      @Override
      synchronized State update(UnaryOperator<State> change) {
        state = change.apply(state);
        return state;
      }
    };
  }

  /** The chip kept in {@code dir}; made with {@code pin} and {@code tries} if it is not there yet. */
  static Chip inDirectory(Path dir, String pin, int tries) {
    Path file = dir.resolve("chip.properties");
    Path lock = dir.resolve(".chip.lock");
    return new Chip() {
      @Override
      State update(UnaryOperator<State> change) {
        try {
          Files.createDirectories(dir);
          // Serializes PIN entries across processes, as the one chip serializes them.
          try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
              FileLock held = channel.lock()) {
            State before = Files.exists(file) ? read(file) : new State(pin, tries);
            State after = change.apply(before);
            if (!after.equals(before) || !Files.exists(file)) {
              write(file, after);
            }
            return after;
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  private static State read(Path file) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    try {
      return new State(p.getProperty("pin"), Integer.parseInt(p.getProperty("remaining-tries")));
    } catch (RuntimeException e) {
      throw new IOException(file + ": unreadable chip state (expected pin= and remaining-tries=)", e);
    }
  }

  private static void write(Path file, State s) throws IOException {
    String text =
        "# A simulated card's chip: its PIN and the wrong entries it still accepts (0: locked; unlock at\n"
            + "# the municipal counter). A real card keeps these in tamper-resistant memory.\n"
            + "pin=" + s.pin() + "\nremaining-tries=" + s.remainingTries() + "\n";
    Path tmp = file.resolveSibling(".chip.properties.tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}

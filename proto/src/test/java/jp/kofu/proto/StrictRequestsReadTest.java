package jp.kofu.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A request's bytes are the stream's, whatever length the stream announced. */
class StrictRequestsReadTest {
  /** A stream that says, as gRPC's do, how long it is: truthfully or not. */
  private static final class Announced extends ByteArrayInputStream implements io.grpc.KnownLength {
    private final int announced;

    Announced(byte[] bytes, int announced) {
      super(bytes);
      this.announced = announced;
    }

    @Override
    public synchronized int available() {
      return Math.min(announced, count - pos);
    }
  }

  /** Says it holds more than it does. */
  private static final class Overstated extends ByteArrayInputStream implements io.grpc.KnownLength {
    Overstated(byte[] bytes) {
      super(bytes);
    }

    @Override
    public synchronized int available() {
      return count - pos + 10;
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void aStreamOfKnownLengthIsReadExactly() throws IOException {
    for (int n : new int[] {0, 1, 37, 4096, 70_000}) {
      byte[] b = bytes(n);
      assertThat(StrictRequests.readMessage(new Announced(b, n))).isEqualTo(b);
    }
  }

  @Test
  void aStreamHoldingMoreThanItAnnouncedIsReadToItsEnd() throws IOException {
    byte[] b = bytes(5000);
    assertThat(StrictRequests.readMessage(new Announced(b, 0))).isEqualTo(b);
    assertThat(StrictRequests.readMessage(new Announced(b, 1))).isEqualTo(b);
    assertThat(StrictRequests.readMessage(new Announced(b, 4999))).isEqualTo(b);
  }

  @Test
  void aStreamHoldingLessThanItAnnouncedGivesWhatItHolds() throws IOException {
    byte[] b = bytes(300);
    assertThat(StrictRequests.readMessage(new Overstated(b))).isEqualTo(b);
  }

  @Test
  void anyOtherStreamIsReadToItsEnd() throws IOException {
    byte[] b = bytes(20_000);
    InputStream plain = new java.io.BufferedInputStream(new ByteArrayInputStream(b), 100);
    assertThat(StrictRequests.readMessage(plain)).isEqualTo(b);
  }
}

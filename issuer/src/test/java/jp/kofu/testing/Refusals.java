package jp.kofu.testing;

import io.grpc.StatusRuntimeException;
import jp.kofu.proto.KofuErrors;
import jp.kofu.proto.type.v1.Reason;

/** A call that must be refused: the refusal it ended with, and its machine-readable reason. */
public final class Refusals {
  private Refusals() {}

  /** A call, with checked exceptions allowed (the simulated card's PIN, a blocking stub). */
  @FunctionalInterface
  public interface Call {
    void run() throws Exception;
  }

  /** The {@link StatusRuntimeException} {@code call} ended with; fails the test if it succeeded. */
  public static StatusRuntimeException refusal(Call call) {
    StatusRuntimeException e = refusalOrNull(call);
    if (e == null) {
      throw new AssertionError("the call succeeded (expected: a refusal)");
    }
    return e;
  }

  /** The refusal {@code call} ended with, or null if it succeeded. */
  public static StatusRuntimeException refusalOrNull(Call call) {
    try {
      call.run();
      return null;
    } catch (StatusRuntimeException e) {
      return e;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("the call failed otherwise than with a refusal", e);
    }
  }

  /** The reason (ErrorInfo) of the refusal {@code call} ended with; fails the test if it succeeded. */
  public static Reason reason(Call call) {
    return KofuErrors.reasonOf(refusal(call));
  }

  /** The reason of the refusal {@code call} ended with, or null if it succeeded. */
  public static Reason reasonOrNull(Call call) {
    StatusRuntimeException e = refusalOrNull(call);
    return e == null ? null : KofuErrors.reasonOf(e);
  }
}

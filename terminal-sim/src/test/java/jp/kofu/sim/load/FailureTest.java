package jp.kofu.sim.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import jp.kofu.proto.KofuErrors;
import jp.kofu.proto.type.v1.Reason;
import org.junit.jupiter.api.Test;

/** A failure without an answer is never taken for a gateway's refusal, nor a moment's trouble for the resident's. */
class FailureTest {
  @Test
  void aCallThatFailedWithoutAKofuReasonIsATransportFailureWhateverItsCode() {
    assertThat(Failure.of(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException())).isEqualTo(Failure.TRANSPORT);
    assertThat(Failure.of(Status.DEADLINE_EXCEEDED.asRuntimeException())).isEqualTo(Failure.TRANSPORT);
    assertThat(Failure.of(Status.CANCELLED.withDescription("RST_STREAM").asRuntimeException())).isEqualTo(Failure.TRANSPORT);
    assertThat(Failure.of(Status.INTERNAL.withDescription("connection reset").asRuntimeException())).isEqualTo(Failure.TRANSPORT);
    assertThat(Failure.of(Status.UNIMPLEMENTED.asRuntimeException())).isEqualTo(Failure.REFUSAL);
  }

  @Test
  void aGatewaysAnswerIsATemporaryTroubleOrARefusal() {
    StatusRuntimeException journal = KofuErrors.status(Status.Code.UNAVAILABLE, Reason.JOURNAL_UNAVAILABLE, "journal", Map.of());
    StatusRuntimeException inProgress =
        KofuErrors.status(Status.Code.ABORTED, Reason.ORDER_IN_PROGRESS, "in progress", Map.of("retry_after_ms", "500"));
    StatusRuntimeException underAge = KofuErrors.status(Status.Code.FAILED_PRECONDITION, Reason.UNDER_AGE, "under 15", Map.of());
    assertThat(Failure.of(journal)).isEqualTo(Failure.RETRY_LATER);
    assertThat(Failure.of(inProgress)).isEqualTo(Failure.RETRY_LATER);
    assertThat(Failure.retryAfterMs(inProgress, 200)).isEqualTo(500);
    assertThat(Failure.retryAfterMs(journal, 200)).isEqualTo(200);
    assertThat(Failure.of(underAge)).isEqualTo(Failure.REFUSAL);
    assertThat(Failure.label(journal)).isEqualTo("UNAVAILABLE JOURNAL_UNAVAILABLE");
  }

  @Test
  void onlyAReasonAboutTheResidentTeachesThatTheyAreRefused() {
    assertThat(Eligibility.definiteRefusal(Reason.UNDER_AGE)).isTrue();
    assertThat(Eligibility.definiteRefusal("MOVED_OUT")).isTrue();
    assertThat(Eligibility.definiteRefusal("DATA_TOO_LONG")).isTrue();
    // The moment's trouble says nothing about the resident.
    for (Reason r : new Reason[] {Reason.MUNICIPALITY_UNAVAILABLE, Reason.MUNICIPALITY_TIMEOUT, Reason.MUNICIPALITY_BUSY,
        Reason.OUT_OF_SERVICE_HOURS, Reason.JOURNAL_UNAVAILABLE, Reason.REVOCATION_UNAVAILABLE}) {
      assertThat(Eligibility.definiteRefusal(r)).as(r.name()).isFalse();
      assertThat(Eligibility.definiteRefusal(r.name())).as(r.name()).isFalse();
    }
    assertThat(Eligibility.definiteRefusal("")).isFalse();
    assertThat(Eligibility.definiteRefusal("SOMETHING_NEW")).isFalse();
  }
}

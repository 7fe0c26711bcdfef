package jp.kofu.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import jp.kofu.proto.type.v1.Reason;
import org.junit.jupiter.api.Test;

class KofuErrorsTest {
  @Test
  void everyReasonHasItsDisplayTextInJapaneseAndEnglishFromReasonProto() {
    for (Reason r : Reason.values()) {
      if (r == Reason.UNRECOGNIZED) {
        continue;
      }
      assertThat(DisplayText.of(r, DisplayText.JAPANESE)).as(r.name()).isNotBlank().containsPattern("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
      assertThat(DisplayText.of(r, DisplayText.ENGLISH)).as(r.name()).isNotBlank().matches("[A-Z].*[.;a-z]");
    }
    assertThat(DisplayText.of(Reason.OUT_OF_SERVICE_HOURS, "ja-JP")).isEqualTo("サービス時間外です。");
    assertThat(DisplayText.of(Reason.OUT_OF_SERVICE_HOURS, "en")).isEqualTo("Outside service hours.");
  }

  @Test
  void theLanguageIsChosenLikeHttpAcceptLanguageJapaneseByDefault() {
    assertThat(DisplayText.locale(null)).isEqualTo("ja-JP");
    assertThat(DisplayText.locale("")).isEqualTo("ja-JP");
    assertThat(DisplayText.locale("fr-FR")).isEqualTo("ja-JP");
    assertThat(DisplayText.locale("en")).isEqualTo("en");
    assertThat(DisplayText.locale("en-US,ja;q=0.5")).isEqualTo("en");
    assertThat(DisplayText.locale("ja;q=0.9, en;q=0.8")).isEqualTo("ja-JP");
    assertThat(DisplayText.locale("fr, en;q=0.1")).isEqualTo("en");
    assertThat(DisplayText.locale("en;q=0, ja")).isEqualTo("ja-JP");
  }

  @Test
  void aRetryableRefusalCarriesRetryInfoAndAnInvalidFieldABadRequest() {
    StatusRuntimeException limited =
        KofuErrors.status(Status.Code.RESOURCE_EXHAUSTED, Reason.RATE_LIMITED, "slow down", Map.of("retry_after_ms", "2500"));
    assertThat(KofuErrors.detail(limited, RetryInfo.class).getRetryDelay())
        .isEqualTo(com.google.protobuf.Duration.newBuilder().setSeconds(2).setNanos(500_000_000).build());
    assertThat(KofuErrors.metadataOf(limited)).containsEntry("retry_after_ms", "2500");
    assertThat(KofuErrors.detail(limited, BadRequest.class)).isNull();

    StatusRuntimeException unavailable = KofuErrors.status(Status.Code.UNAVAILABLE, Reason.JOURNAL_UNAVAILABLE, "down", Map.of());
    assertThat(KofuErrors.detail(unavailable, RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1);

    StatusRuntimeException invalid =
        KofuErrors.status(Status.Code.INVALID_ARGUMENT, Reason.FIELD_INVALID, "order_id: invalid", Map.of("field", "order_id", "expected", "16..64"));
    BadRequest bad = KofuErrors.detail(invalid, BadRequest.class);
    assertThat(bad.getFieldViolationsList()).singleElement().satisfies(v -> {
      assertThat(v.getField()).isEqualTo("order_id");
      assertThat(v.getReason()).isEqualTo("FIELD_INVALID");
      assertThat(v.getDescription()).isEqualTo("expected: 16..64");
    });
    assertThat(KofuErrors.detail(invalid, RetryInfo.class)).isNull();
    assertThat(KofuErrors.detail(
            KofuErrors.status(Status.Code.FAILED_PRECONDITION, Reason.NOT_ISSUABLE, "no", Map.of()), RetryInfo.class))
        .isNull();
  }

  @Test
  void theLocalizedMessageIsAddedOnceInTheChosenLanguage() {
    StatusRuntimeException e = KofuErrors.status(Status.Code.PERMISSION_DENIED, Reason.CARD_REVOKED, "revoked", Map.of());
    Metadata trailers = e.getTrailers();
    LocalizedErrors.localize(e.getStatus(), trailers, "en");
    LocalizedErrors.localize(e.getStatus(), trailers, "ja-JP");
    StatusRuntimeException sent = new StatusRuntimeException(e.getStatus(), trailers);
    com.google.rpc.Status details = io.grpc.protobuf.StatusProto.fromThrowable(sent);
    assertThat(details.getDetailsList().stream().filter(d -> d.is(LocalizedMessage.class))).hasSize(1);
    assertThat(KofuErrors.detail(sent, LocalizedMessage.class))
        .isEqualTo(LocalizedMessage.newBuilder().setLocale("en").setMessage(DisplayText.of(Reason.CARD_REVOKED, "en")).build());
    assertThat(KofuErrors.detail(sent, ErrorInfo.class).getReason()).isEqualTo("CARD_REVOKED");
  }

  @Test
  void gRpcRetriesWaitOutShortRetryDelaysOnlyLongerOnesEndTheCallWithTheirReason() {
    Metadata.Key<String> pushback = Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
    StatusRuntimeException busy =
        KofuErrors.status(Status.Code.UNAVAILABLE, Reason.JOURNAL_UNAVAILABLE, "down", Map.of("retry_after_ms", "1500"));
    LocalizedErrors.localize(busy.getStatus(), busy.getTrailers(), "ja-JP");
    assertThat(busy.getTrailers().get(pushback)).isEqualTo("1500");
    // An open circuit asks for 30 s: gRPC must not sit on it until the call's deadline.
    StatusRuntimeException open =
        KofuErrors.status(Status.Code.UNAVAILABLE, Reason.MUNICIPALITY_UNAVAILABLE, "open", Map.of("retry_after_ms", "30000"));
    LocalizedErrors.localize(open.getStatus(), open.getTrailers(), "ja-JP");
    assertThat(open.getTrailers().get(pushback)).isEqualTo("-1");
    assertThat(KofuErrors.detail(new StatusRuntimeException(open.getStatus(), open.getTrailers()), RetryInfo.class).getRetryDelay().getSeconds())
        .isEqualTo(30);
  }
}

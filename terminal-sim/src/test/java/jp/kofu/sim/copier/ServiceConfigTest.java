package jp.kofu.sim.copier;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jp.kofu.proto.KofuErrors;
import jp.kofu.proto.LocalizedErrors;
import jp.kofu.proto.kiosk.v1.KioskServiceGrpc;
import jp.kofu.proto.kiosk.v1.OpenSessionRequest;
import jp.kofu.proto.kiosk.v1.OpenSessionResponse;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.proto.verify.v1.VerificationServiceGrpc;
import org.junit.jupiter.api.Test;

/** proto/service-config.json: every method has a deadline and a retry policy, and a channel built as the simulator's copier builds it obeys both. */
class ServiceConfigTest {
  @Test
  @SuppressWarnings("unchecked")
  void everyMethodHasADeadlineAndEveryMethodButAuthenticateARetryPolicy() {
    Map<String, ?> config = ServiceConfig.load();
    List<Map<String, ?>> methods = (List<Map<String, ?>>) config.get("methodConfig");
    for (var service : List.of(KioskServiceGrpc.getServiceDescriptor(), VerificationServiceGrpc.getServiceDescriptor())) {
      for (MethodDescriptor<?, ?> m : service.getMethods()) {
        Map<String, ?> found =
            methods.stream()
                .filter(c -> ((List<Map<String, ?>>) c.get("name")).stream()
                    .anyMatch(n -> n.get("service").equals(service.getName()) && m.getBareMethodName().equals(n.get("method"))))
                .findFirst()
                .orElse(null);
        assertThat(found).as(m.getFullMethodName()).isNotNull();
        assertThat((String) found.get("timeout")).as(m.getFullMethodName()).matches("\\d+s");
        Map<String, ?> retry = (Map<String, ?>) found.get("retryPolicy");
        if (m.getBareMethodName().equals("Authenticate")) {
          // Its challenge is one-time: a retry after the gateway spent it would be CHALLENGE_REUSED.
          assertThat(retry).as("Authenticate is not retried").isNull();
          continue;
        }
        // Only codes all of whose reasons are retryable: UNAVAILABLE (JOURNAL_, MUNICIPALITY_,
        // REVOCATION_UNAVAILABLE) and ABORTED (ORDER_IN_PROGRESS).
        assertThat((List<String>) retry.get("retryableStatusCodes")).containsExactlyInAnyOrder("UNAVAILABLE", "ABORTED");
        assertThat(KofuErrors.RETRYABLE)
            .contains(Reason.JOURNAL_UNAVAILABLE, Reason.MUNICIPALITY_UNAVAILABLE, Reason.REVOCATION_UNAVAILABLE, Reason.ORDER_IN_PROGRESS);
      }
    }
  }

  @Test
  void aChannelWithTheConfigRetriesARetryableRefusalAfterItsRetryInfoAndSendsTheMethodsDeadline() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    AtomicLong deadlineMs = new AtomicLong();
    AtomicLong firstAt = new AtomicLong();
    AtomicLong secondAt = new AtomicLong();
    KioskServiceGrpc.KioskServiceImplBase flaky =
        new KioskServiceGrpc.KioskServiceImplBase() {
          @Override
          public void openSession(OpenSessionRequest request, StreamObserver<OpenSessionResponse> response) {
            deadlineMs.set(Context.current().getDeadline().timeRemaining(TimeUnit.MILLISECONDS));
            if (attempts.incrementAndGet() == 1) {
              firstAt.set(System.nanoTime());
              response.onError(
                  KofuErrors.status(Status.Code.UNAVAILABLE, Reason.JOURNAL_UNAVAILABLE, "journal down", Map.of("retry_after_ms", "700")));
              return;
            }
            secondAt.set(System.nanoTime());
            response.onNext(OpenSessionResponse.getDefaultInstance());
            response.onCompleted();
          }
        };
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(flaky, new LocalizedErrors()))
            .build()
            .start();
    ManagedChannel channel =
        ServiceConfig.apply(NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()).build();
    try {
      assertThat(KioskServiceGrpc.newBlockingStub(channel).openSession(OpenSessionRequest.getDefaultInstance())).isNotNull();
      assertThat(attempts).hasValue(2);
      // The server's RetryInfo (700 ms, as grpc-retry-pushback-ms) set the wait, not the 0.2 s backoff.
      assertThat(TimeUnit.NANOSECONDS.toMillis(secondAt.get() - firstAt.get())).isGreaterThanOrEqualTo(650);
      // OpenSession's deadline in the config is 15 s.
      assertThat(deadlineMs.get()).isBetween(1L, 15_000L);
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }
}

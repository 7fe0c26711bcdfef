package jp.kofu.issuer.remote;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import jp.kofu.issuer.reference.LocalGovernmentCode;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.IssuerAdapterFactory;
import jp.kofu.proto.issuer.v1.DescribeRequest;
import jp.kofu.proto.issuer.v1.DescribeResponse;
import jp.kofu.proto.issuer.v1.IssueDocumentRequest;
import jp.kofu.proto.issuer.v1.IssueDocumentResponse;
import jp.kofu.proto.issuer.v1.IssuerServiceGrpc;
import jp.kofu.proto.issuer.v1.ListOfferingsRequest;
import jp.kofu.proto.issuer.v1.ListOfferingsResponse;
import jp.kofu.proto.issuer.v1.ResolveCardRequest;
import jp.kofu.proto.issuer.v1.ResolveCardResponse;
import jp.kofu.proto.type.v1.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kofu.issuer.v1.IssuerService in front of adapters, by municipality code. Each call runs on its own
 * thread; when the caller cancels or its deadline passes, that thread is interrupted, so the adapter
 * aborts the way it does inside the gateway.
 */
final class IssuerServiceImpl extends IssuerServiceGrpc.IssuerServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(IssuerServiceImpl.class);

  private final Map<String, IssuerAdapter> adapters;

  IssuerServiceImpl(Map<String, IssuerAdapter> adapters) {
    this.adapters = Map.copyOf(adapters);
  }

  @Override
  public void describe(DescribeRequest request, StreamObserver<DescribeResponse> response) {
    response.onNext(
        DescribeResponse.newBuilder()
            .addAllMunicipalityCodes(adapters.keySet().stream().sorted().toList())
            .setSpiVersion(IssuerAdapterFactory.SPI_VERSION)
            .build());
    response.onCompleted();
  }

  @Override
  public void resolveCard(ResolveCardRequest request, StreamObserver<ResolveCardResponse> response) {
    var query = decode(response, () -> IssuerProtos.decode(request));
    if (query != null) {
      serve(response, request.getMunicipalityCode(), "resolve", a -> IssuerProtos.encode(a.resolveCard(query)));
    }
  }

  @Override
  public void listOfferings(ListOfferingsRequest request, StreamObserver<ListOfferingsResponse> response) {
    var query = decode(response, () -> IssuerProtos.decode(request));
    if (query != null) {
      serve(response, request.getMunicipalityCode(), "offerings", a -> IssuerProtos.encode(a.offerings(query)));
    }
  }

  @Override
  public void issueDocument(IssueDocumentRequest request, StreamObserver<IssueDocumentResponse> response) {
    if (IssuerProtos.forCard(request)) {
      // A gateway of SPI 1.1: one call, the adapter resolves the card itself.
      var command = decode(response, () -> IssuerProtos.decodeForCard(request));
      if (command != null) {
        serve(response, request.getMunicipalityCode(), "issue", a -> IssuerProtos.encode(a.issue(command)));
      }
      return;
    }
    var command = decode(response, () -> IssuerProtos.decode(request));
    if (command != null) {
      serve(response, request.getMunicipalityCode(), "issue", a -> IssuerProtos.encode(a.issue(command)));
    }
  }

  /** The request as SPI values, or null after answering INVALID_ARGUMENT (the caller's bug, named by field). */
  private static <T> T decode(StreamObserver<?> response, java.util.function.Supplier<T> decode) {
    try {
      return decode.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      response.onError(IssuerErrors.status(Status.Code.INVALID_ARGUMENT, Reason.FIELD_INVALID, String.valueOf(e.getMessage()), Map.of()));
      return null;
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T call(IssuerAdapter adapter) throws IssuanceRefusedException;
  }

  private <T> void serve(StreamObserver<T> response, String code, String operation, Call<T> call) {
    IssuerAdapter adapter;
    try {
      adapter = adapter(code);
    } catch (RuntimeException e) {
      response.onError(e);
      return;
    }
    Thread worker = Thread.currentThread();
    Object lock = new Object();
    boolean[] running = {true};
    Context context = Context.current();
    Context.CancellationListener interrupt =
        ctx -> {
          synchronized (lock) {
            if (running[0]) {
              worker.interrupt();
            }
          }
        };
    context.addListener(interrupt, Runnable::run);
    T result;
    try {
      result = call.call(adapter);
    } catch (IssuanceRefusedException e) {
      response.onError(IssuerErrors.refusal(e));
      return;
    } catch (RuntimeException e) {
      if (context.isCancelled()) {
        return;
      }
      log.warn("municipality {} {} failed: {}", code, operation, e.getClass().getSimpleName());
      response.onError(
          IssuerErrors.status(
              Status.Code.UNAVAILABLE, Reason.MUNICIPALITY_UNAVAILABLE, code + " cannot answer now", Map.of("municipality_code", code)));
      return;
    } finally {
      synchronized (lock) {
        running[0] = false;
      }
      context.removeListener(interrupt);
      // An interrupt meant for the aborted call must not leak into whatever the thread does next.
      Thread.interrupted();
    }
    if (context.isCancelled()) {
      // Nobody is waiting for it: the result is dropped here, never sent to another call.
      return;
    }
    response.onNext(result);
    response.onCompleted();
  }

  private IssuerAdapter adapter(String code) {
    if (!LocalGovernmentCode.isValid(code)) {
      throw IssuerErrors.status(
          Status.Code.INVALID_ARGUMENT,
          Reason.MUNICIPALITY_CODE_INVALID,
          "municipality_code: invalid (expected: 6 digits with a valid check digit)",
          Map.of("field", "municipality_code"));
    }
    IssuerAdapter adapter = adapters.get(code);
    if (adapter == null) {
      throw IssuerErrors.status(
          Status.Code.FAILED_PRECONDITION, Reason.MUNICIPALITY_NOT_SERVED, code + " is not served by this issuer server", Map.of("municipality_code", code));
    }
    return adapter;
  }
}

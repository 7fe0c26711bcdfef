package jp.kofu.issuer.remote;

import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Lists a server's services through gRPC reflection, v1 or v1alpha, as a tool would. */
public final class ReflectionListing {
  private ReflectionListing() {}

  public static List<String> v1(Channel channel) throws Exception {
    CompletableFuture<List<String>> result = new CompletableFuture<>();
    List<String> names = new ArrayList<>();
    StreamObserver<io.grpc.reflection.v1.ServerReflectionRequest> requests =
        io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(observer(result, names, r -> r.getListServicesResponse().getServiceList().forEach(s -> names.add(s.getName()))));
    requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    return result.get(20, TimeUnit.SECONDS);
  }

  @SuppressWarnings("deprecation")
  public static List<String> v1alpha(Channel channel) throws Exception {
    CompletableFuture<List<String>> result = new CompletableFuture<>();
    List<String> names = new ArrayList<>();
    StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests =
        io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(observer(result, names, r -> r.getListServicesResponse().getServiceList().forEach(s -> names.add(s.getName()))));
    requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    return result.get(20, TimeUnit.SECONDS);
  }

  private static <R> StreamObserver<R> observer(CompletableFuture<List<String>> result, List<String> names, java.util.function.Consumer<R> each) {
    return new StreamObserver<>() {
      @Override
      public void onNext(R r) {
        each.accept(r);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        result.complete(names);
      }
    };
  }
}

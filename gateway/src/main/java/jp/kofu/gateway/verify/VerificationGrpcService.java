package jp.kofu.gateway.verify;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.HexFormat;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.remote.IssuerProtos;
import jp.kofu.proto.ProtoEnums;
import jp.kofu.proto.verify.v1.VerificationServiceGrpc;
import jp.kofu.proto.verify.v1.VerifyResponse.VerificationStatus;
import jp.kofu.proto.verify.v1.VerifyRequest;
import jp.kofu.proto.verify.v1.VerifyResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code kofu.verify.v1.VerificationService} on the gateway's gRPC port; no client certificate needed. */
public final class VerificationGrpcService extends VerificationServiceGrpc.VerificationServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(VerificationGrpcService.class);
  private static final Context.Key<InetAddress> CLIENT = Context.key("kofu-verify-client");

  private final Verifications verifications;

  private VerificationGrpcService(Verifications verifications) {
    this.verifications = verifications;
  }

  /** The service with the interceptor that tells it the client's address (for rate limiting). */
  public static ServerServiceDefinition definition(Verifications verifications) {
    return ServerInterceptors.intercept(new VerificationGrpcService(verifications), new ClientAddress());
  }

  @Override
  public void verify(VerifyRequest request, StreamObserver<VerifyResponse> response) {
    VerifyResponse answer;
    try {
      byte[] sha256 = request.getSha256().isEmpty() ? null : request.getSha256().toByteArray();
      answer = toProto(verifications.verify(request.getCode(), sha256, request.getDocumentNumber(), CLIENT.get()));
    } catch (KofuException e) {
      response.onError(e.toStatusException());
      return;
    } catch (RuntimeException e) {
      log.error("verification failed", e);
      response.onError(io.grpc.Status.INTERNAL.withDescription("internal error").asRuntimeException());
      return;
    }
    response.onNext(answer);
    response.onCompleted();
  }

  static VerifyResponse toProto(Verification v) {
    VerifyResponse.Builder b = VerifyResponse.newBuilder().setStatus(ProtoEnums.toProto(VerificationStatus.class, v.status()));
    if (v.status() == Verification.Status.EXPIRED) {
      return b.build();
    }
    return b.setMunicipalityCode(v.municipalityCode())
        .setMunicipalityName(v.municipalityName())
        .setCertificateType(IssuerProtos.toProto(v.certificateType()))
        .setDocumentNumber(v.documentNumber())
        .setIssueTime(timestamp(v.issuedAt()))
        .setSha256(ByteString.copyFrom(HexFormat.of().parseHex(v.sha256Hex())))
        .setPageCount(v.pageCount())
        .setVerificationExpireTime(timestamp(v.validUntil()))
        .build();
  }

  private static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  /** Puts the peer's IP address into the call's context. */
  private static final class ClientAddress implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      InetAddress address =
          remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress() : InetAddress.getLoopbackAddress();
      return Contexts.interceptCall(Context.current().withValue(CLIENT, address), call, headers, next);
    }
  }
}

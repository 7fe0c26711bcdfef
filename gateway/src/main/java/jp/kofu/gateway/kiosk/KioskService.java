package jp.kofu.gateway.kiosk;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import jp.kofu.gateway.auth.Challenges;
import jp.kofu.gateway.auth.SessionClaims;
import jp.kofu.gateway.auth.SessionService;
import jp.kofu.gateway.auth.TerminalIdentity;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.issuance.Delivery;
import jp.kofu.gateway.issuance.IssuanceService;
import jp.kofu.gateway.issuance.OfferedMunicipality;
import jp.kofu.gateway.issuance.Order;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.proto.ProtoEnums;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.gateway.metrics.IssuanceMetrics;
import jp.kofu.proto.kiosk.v1.AuthenticateRequest;
import jp.kofu.proto.kiosk.v1.AuthenticateResponse;
import jp.kofu.proto.kiosk.v1.CloseSessionRequest;
import jp.kofu.proto.kiosk.v1.CloseSessionResponse;
import jp.kofu.proto.kiosk.v1.ConfirmDeliveryRequest;
import jp.kofu.proto.kiosk.v1.ConfirmDeliveryResponse;
import jp.kofu.proto.kiosk.v1.IssueRequest;
import jp.kofu.proto.kiosk.v1.IssueResponse;
import jp.kofu.proto.kiosk.v1.KioskServiceGrpc;
import jp.kofu.proto.kiosk.v1.ListOfferingsRequest;
import jp.kofu.proto.kiosk.v1.ListOfferingsResponse;
import jp.kofu.proto.kiosk.v1.OpenSessionRequest;
import jp.kofu.proto.kiosk.v1.OpenSessionResponse;
import jp.kofu.proto.kiosk.v1.ConfirmDeliveryRequest.PrintFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** kofu.kiosk.v1.KioskService. */
public final class KioskService extends KioskServiceGrpc.KioskServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(KioskService.class);

  private final SessionService sessions;
  private final IssuanceService issuance;
  private final IssuanceMetrics metrics;

  public KioskService(SessionService sessions, IssuanceService issuance, IssuanceMetrics metrics) {
    this.sessions = sessions;
    this.issuance = issuance;
    this.metrics = metrics;
  }

  private static TerminalIdentity terminal() {
    TerminalIdentity t = TerminalIdentity.CURRENT.get();
    if (t == null) {
      throw new IllegalStateException("KioskService must be served behind TerminalAuthInterceptor");
    }
    return t;
  }

  @Override
  public void openSession(OpenSessionRequest request, StreamObserver<OpenSessionResponse> response) {
    unary(
        response,
        () -> {
          RequestValidation.terminalSoftware(request.getTerminalSoftware());
          Challenges.Issued c = sessions.open(terminal());
          return OpenSessionResponse.newBuilder()
              .setChallenge(ByteString.copyFrom(c.challenge()))
              .setChallengeExpireTime(ProtoMapping.timestamp(c.expiresAt()))
              .build();
        });
  }

  @Override
  public void authenticate(AuthenticateRequest request, StreamObserver<AuthenticateResponse> response) {
    unary(
        response,
        () -> {
          SessionService.Authenticated a =
              sessions.authenticate(
                  terminal(),
                  request.getChallenge().toByteArray(),
                  request.getCardCertificate().toByteArray(),
                  request.getSignature().toByteArray(),
                  RequestValidation.credentialKind(request.getCredentialKind()));
          return AuthenticateResponse.newBuilder()
              .setSessionToken(ByteString.copyFrom(a.token()))
              .setSessionExpireTime(ProtoMapping.timestamp(a.claims().expiresAt()))
              .build();
        });
  }

  @Override
  public void listOfferings(ListOfferingsRequest request, StreamObserver<ListOfferingsResponse> response) {
    unary(
        response,
        () -> {
          SessionClaims session = sessions.session(terminal(), request.getSessionToken().toByteArray());
          ListOfferingsResponse.Builder b = ListOfferingsResponse.newBuilder();
          for (OfferedMunicipality m : issuance.offerings(session)) {
            b.addMunicipalities(ProtoMapping.municipality(m));
          }
          return b.build();
        });
  }

  @Override
  public void issue(IssueRequest request, StreamObserver<IssueResponse> response) {
    ServerCallStreamObserver<IssueResponse> out = (ServerCallStreamObserver<IssueResponse>) response;
    Delivery delivery;
    String type = request.getCertificate().getType() == CertificateType.UNRECOGNIZED ? "UNRECOGNIZED" : ProtoEnums.unprefixed(request.getCertificate().getType());
    try {
      SessionClaims session = sessions.session(terminal(), request.getSessionToken().toByteArray());
      Order order =
          new Order(
              RequestValidation.orderId(request.getOrderId()),
              request.getMunicipalityCode(),
              RequestValidation.certificate(request.getCertificate()));
      delivery = issuance.issue(session, order);
    } catch (KofuException e) {
      metrics.refused(request.getMunicipalityCode(), type, e.reason());
      response.onError(e.toStatusException());
      return;
    } catch (RuntimeException e) {
      metrics.refused(request.getMunicipalityCode(), type, null);
      response.onError(internal(e));
      return;
    }
    Integer fee = delivery.issuance().feeYen();
    metrics.issued(request.getMunicipalityCode(), type, fee == null ? 0 : fee, delivery.replayed());
    DocumentStreamer.stream(out, ProtoMapping.header(delivery.issuance(), delivery.replayed()), delivery.pdf());
  }

  @Override
  public void confirmDelivery(ConfirmDeliveryRequest request, StreamObserver<ConfirmDeliveryResponse> response) {
    unary(
        response,
        () -> {
          SessionClaims session = sessions.session(terminal(), request.getSessionToken().toByteArray());
          String id = RequestValidation.issuanceId(request.getIssuanceId());
          boolean printed =
              switch (request.getOutcome()) {
                case DELIVERY_OUTCOME_PRINTED -> true;
                case DELIVERY_OUTCOME_FAILED -> false;
                default -> throw KofuException.invalidField("outcome", "DELIVERY_OUTCOME_PRINTED or DELIVERY_OUTCOME_FAILED");
              };
          String failure = null;
          if (!printed) {
            PrintFailure f = request.getFailure();
            if (f == PrintFailure.UNRECOGNIZED) {
              throw KofuException.invalidField("failure", "a PrintFailure value");
            }
            // The journal keeps the unprefixed name (PAPER_JAM), as before the contract's renames.
            failure = ProtoEnums.unprefixed(f == PrintFailure.PRINT_FAILURE_UNSPECIFIED ? PrintFailure.PRINT_FAILURE_OTHER : f);
          } else if (request.getFailure() != PrintFailure.PRINT_FAILURE_UNSPECIFIED) {
            throw KofuException.invalidField("failure", "no failure with DELIVERY_OUTCOME_PRINTED");
          }
          IssuanceJournal.Settlement s = issuance.confirm(session, id, printed, failure);
          metrics.delivered(printed, s.refundedYen());
          return ConfirmDeliveryResponse.newBuilder()
              .setState(ProtoEnums.toProto(jp.kofu.proto.kiosk.v1.IssuanceState.class, s.state()))
              .setRefundedYen(s.refundedYen())
              .build();
        });
  }

  @Override
  public void closeSession(CloseSessionRequest request, StreamObserver<CloseSessionResponse> response) {
    unary(
        response,
        () -> {
          sessions.close(terminal(), request.getSessionToken().toByteArray());
          return CloseSessionResponse.getDefaultInstance();
        });
  }

  @Override
  public void getIssuance(
      jp.kofu.proto.kiosk.v1.GetIssuanceRequest request, StreamObserver<jp.kofu.proto.kiosk.v1.GetIssuanceResponse> response) {
    unary(response, () -> ProtoMapping.issuance(issuance.issuanceOf(terminal(), RequestValidation.orderId(request.getOrderId()))));
  }

  private static <T> void unary(StreamObserver<T> response, Supplier<T> work) {
    T result;
    try {
      result = work.get();
    } catch (KofuException e) {
      response.onError(e.toStatusException());
      return;
    } catch (RuntimeException e) {
      response.onError(internal(e));
      return;
    }
    response.onNext(result);
    response.onCompleted();
  }

  private static RuntimeException internal(RuntimeException e) {
    // A bug of ours: logged with its class and stack, never with request data.
    log.error("internal error", e);
    return io.grpc.Status.INTERNAL.withDescription("internal error").asRuntimeException();
  }
}

package jp.kofu.gateway.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.KofuWorld;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.issuer.seed.Specimen;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.proto.verify.v1.VerificationServiceGrpc;
import jp.kofu.proto.verify.v1.VerifyRequest;
import jp.kofu.proto.verify.v1.VerifyResponse.VerificationStatus;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.copier.Copier;
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The document number on the paper (and in the QR code's link) is checked against the code: a
 * code copied onto another paper is never GENUINE, over gRPC, in JSON and on the page.
 */
@WholeWorld
class VerificationDocumentNumberTest {
  static final FakeClock clock = FakeClock.inServiceHours();
  @RegisterExtension static final KofuWorld world = KofuWorld.embedded().clock(clock).residentsEach(20);
  static ManagedChannel channel;
  static VerificationServiceGrpc.VerificationServiceBlockingStub verify;
  static String code;
  static String number;

  @BeforeAll
  static void start() throws Exception {
    channel =
        // The public verification listener: TLS, no client certificate.
        NettyChannelBuilder.forAddress(world.gateway().verificationGrpcAddress())
            .sslContext(sslContext())
            .build();
    verify = VerificationServiceGrpc.newBlockingStub(channel);
    Specimen all = world.specimen(Specimen.ISSUABLE, "本籍 here");
    CardWallet.Entry entry = world.wallet().entry(all.residentId()).orElseThrow();
    Copier copier = world.copier("verify-number");
    ByteString token = copier.authenticate(copier.openSession(), world.wallet().card(all.residentId()), entry.pin()).getSessionToken();
    var doc = copier.issue(token, java.util.UUID.randomUUID().toString(), Seeder.DEMO_MUNICIPALITY,
        CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build());
    copier.confirm(token, doc.header().getIssuanceId(), true);
    code = doc.header().getVerificationCode();
    number = doc.header().getIssuanceId();
  }

  static io.netty.handler.ssl.SslContext sslContext() {
    try {
      return GrpcSslContexts.forClient().trustManager(world.pki().serviceCa().certificate()).build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  static String otherNumber() {
    return number.substring(0, number.length() - 1) + (number.endsWith("0") ? "1" : "0");
  }

  @Test
  void overGrpc() {
    assertThat(verify.verify(VerifyRequest.newBuilder().setCode(code).setDocumentNumber(number).build()).getStatus())
        .isEqualTo(VerificationStatus.VERIFICATION_STATUS_GENUINE);
    var wrong = verify.verify(VerifyRequest.newBuilder().setCode(code).setDocumentNumber(otherNumber()).build());
    assertThat(wrong.getStatus()).isEqualTo(VerificationStatus.VERIFICATION_STATUS_DOCUMENT_NUMBER_MISMATCH);
    assertThat(wrong.getDocumentNumber()).isEqualTo(number);
    StatusRuntimeException bad = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
        () -> verify.verify(VerifyRequest.newBuilder().setCode(code).setDocumentNumber("not a number!").build()));
    assertThat(KofuException.reasonOf(bad)).isEqualTo(Reason.FIELD_INVALID);
  }

  @Test
  void onThePageAndInJson() throws Exception {
    clock.forward(java.time.Duration.ofMinutes(2)); // a fresh lookup allowance
    var page = get("/v/" + code + "?d=" + otherNumber());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("DOCUMENT_NUMBER_MISMATCH").doesNotContain("GENUINE");
    assertThat(get("/v/" + code + "?d=" + number).body()).contains("GENUINE");
    var json = new ObjectMapper().readTree(get("/api/v1/verify/" + code + "?d=" + otherNumber()).body());
    assertThat(json.get("status").asText()).isEqualTo("DOCUMENT_NUMBER_MISMATCH");
  }

  static HttpResponse<String> get(String path) throws Exception {
    var address = world.gateway().verificationAddress();
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}

package jp.kofu.gateway.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.KofuWorld;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.registry.Household;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.issuer.seed.Specimen;
import jp.kofu.pki.X509;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.proto.verify.v1.VerificationServiceGrpc;
import jp.kofu.proto.verify.v1.VerifyRequest;
import jp.kofu.proto.verify.v1.VerifyResponse;
import jp.kofu.proto.verify.v1.VerifyResponse.VerificationStatus;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.copier.Copier;
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Verification anyone can do, over real sockets: by code through gRPC (TLS, no client
 * certificate) and through the HTTP page and JSON, and by file. Each rejects a tampered file,
 * answers VOIDED and EXPIRED, limits lookups per address, and shows no personal data.
 */
@WholeWorld
class VerificationOverTlsTest {
  static final FakeClock clock = FakeClock.inServiceHours();
  static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension static final KofuWorld world = KofuWorld.embedded().clock(clock).residentsEach(20);
  static ManagedChannel channel;
  static VerificationServiceGrpc.VerificationServiceBlockingStub verify;
  static HttpClient http = HttpClient.newHttpClient();
  static Issued delivered;

  record Issued(String code, byte[] pdf, String issuanceId) {}

  @BeforeAll
  static void start() throws Exception {
    channel =
        // The public verification listener: TLS, no client certificate.
        NettyChannelBuilder.forAddress(world.gateway().verificationGrpcAddress())
            .sslContext(GrpcSslContexts.forClient().trustManager(world.pki().serviceCa().certificate()).build())
            .build();
    verify = VerificationServiceGrpc.newBlockingStub(channel);
    delivered = issue(CertificateType.CERTIFICATE_TYPE_RESIDENCE, true);
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @BeforeEach
  void refillTheLookupAllowance() {
    clock.forward(Duration.ofMinutes(2));
  }

  static Issued issue(CertificateType type, boolean printed) throws Exception {
    Specimen all = world.specimen(Specimen.ISSUABLE, "本籍 here");
    CardWallet.Entry entry = world.wallet().entry(all.residentId()).orElseThrow();
    Copier copier = world.copier("verify-" + type + printed);
    ByteString token = copier.authenticate(copier.openSession(), world.wallet().card(all.residentId()), entry.pin()).getSessionToken();
    var doc = copier.issue(token, java.util.UUID.randomUUID().toString(), Seeder.DEMO_MUNICIPALITY,
        CertificateRequest.newBuilder().setType(type).setCopies(1).build());
    copier.confirm(token, doc.header().getIssuanceId(), printed);
    copier.closeSession(token);
    return new Issued(doc.header().getVerificationCode(), doc.pdf(), doc.header().getIssuanceId());
  }

  static byte[] tampered(byte[] pdf) {
    byte[] t = pdf.clone();
    // A byte inside the signed range (the header comment), as an editor would change text.
    t[20] ^= 0x01;
    return t;
  }

  static HttpResponse<String> get(String path) throws Exception {
    var address = world.gateway().verificationAddress();
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Verify with the request as raw bytes, as a broken or hostile client sends it. */
  static io.grpc.StatusRuntimeException rawVerify(byte[] request) {
    var bytes = new io.grpc.MethodDescriptor.Marshaller<byte[]>() {
      @Override
      public java.io.InputStream stream(byte[] value) {
        return new java.io.ByteArrayInputStream(value);
      }

      @Override
      public byte[] parse(java.io.InputStream stream) {
        try {
          return stream.readAllBytes();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
    var method = VerificationServiceGrpc.getVerifyMethod().toBuilder(bytes, bytes).build();
    try {
      io.grpc.stub.ClientCalls.blockingUnaryCall(channel, method, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), request);
      return null;
    } catch (io.grpc.StatusRuntimeException e) {
      return e;
    }
  }

  @Test
  void requestsThatAreNotTheContractsAreRefusedPreciselyNotAsUnknown() {
    // Garbage (a truncated length-delimited field), a defined field with the wrong wire type (code
    // as a varint), and a field the contract does not define (number 99).
    byte[] unknown =
        VerifyRequest.newBuilder()
            .setCode(delivered.code())
            .setUnknownFields(
                com.google.protobuf.UnknownFieldSet.newBuilder()
                    .addField(99, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                    .build())
            .build()
            .toByteArray();
    for (var c : java.util.List.of(
        java.util.Map.entry(new byte[] {0x0a, 0x05, 0x01}, Reason.MESSAGE_MALFORMED),
        java.util.Map.entry(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, Reason.MESSAGE_MALFORMED),
        java.util.Map.entry(new byte[] {0x08, 0x01}, Reason.MESSAGE_MALFORMED),
        java.util.Map.entry(unknown, Reason.FIELD_UNKNOWN))) {
      io.grpc.StatusRuntimeException e = rawVerify(c.getKey());
      assertThat(e).as(java.util.HexFormat.of().formatHex(c.getKey())).isNotNull();
      assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
      assertThat(jp.kofu.proto.KofuErrors.reasonOf(e)).isEqualTo(c.getValue());
    }
  }

  @Test
  void byCodeOverGrpcAGenuineDocumentAndATamperedFile() {
    VerifyResponse genuine = verify.verify(VerifyRequest.newBuilder().setCode(delivered.code()).build());
    assertThat(genuine.getStatus()).isEqualTo(VerificationStatus.VERIFICATION_STATUS_GENUINE);
    assertThat(genuine.getMunicipalityCode()).isEqualTo(Seeder.DEMO_MUNICIPALITY);
    assertThat(genuine.getMunicipalityName()).isEqualTo("東京都千代田区");
    assertThat(genuine.getCertificateType()).isEqualTo(CertificateType.CERTIFICATE_TYPE_RESIDENCE);
    assertThat(genuine.getDocumentNumber()).isEqualTo(delivered.issuanceId());
    assertThat(genuine.getSha256().toByteArray()).isEqualTo(X509.sha256(delivered.pdf()));
    assertThat(genuine.getVerificationExpireTime().getSeconds() - genuine.getIssueTime().getSeconds()).isEqualTo(Duration.ofDays(90).toSeconds());

    // Typed loosely: lower case, no dashes, O for 0.
    String typed = delivered.code().replace("-", "").toLowerCase().replace('0', 'o');
    assertThat(verify.verify(VerifyRequest.newBuilder().setCode(typed).build()).getStatus()).isEqualTo(VerificationStatus.VERIFICATION_STATUS_GENUINE);

    VerifyResponse withFile = verify.verify(VerifyRequest.newBuilder().setCode(delivered.code())
        .setSha256(ByteString.copyFrom(X509.sha256(delivered.pdf()))).build());
    assertThat(withFile.getStatus()).isEqualTo(VerificationStatus.VERIFICATION_STATUS_GENUINE);
    VerifyResponse tampered = verify.verify(VerifyRequest.newBuilder().setCode(delivered.code())
        .setSha256(ByteString.copyFrom(X509.sha256(tampered(delivered.pdf())))).build());
    assertThat(tampered.getStatus()).isEqualTo(VerificationStatus.VERIFICATION_STATUS_DIGEST_MISMATCH);
  }

  @Test
  void byCodeOverGrpcTheDocumentedErrors() {
    StatusRuntimeException malformed = catchThrowableOfType(StatusRuntimeException.class,
        () -> verify.verify(VerifyRequest.newBuilder().setCode("not a code").build()));
    assertThat(malformed.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(KofuException.reasonOf(malformed)).isEqualTo(Reason.FIELD_INVALID);

    String unknown = delivered.code().startsWith("Z") ? "Y" + delivered.code().substring(1) : "Z" + delivered.code().substring(1);
    StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class,
        () -> verify.verify(VerifyRequest.newBuilder().setCode(unknown).build()));
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(KofuException.reasonOf(missing)).isEqualTo(Reason.VERIFICATION_CODE_UNKNOWN);

    StatusRuntimeException badDigest = catchThrowableOfType(StatusRuntimeException.class,
        () -> verify.verify(VerifyRequest.newBuilder().setCode(delivered.code()).setSha256(ByteString.copyFrom(new byte[5])).build()));
    assertThat(KofuException.reasonOf(badDigest)).isEqualTo(Reason.FIELD_INVALID);
  }

  @Test
  void lookupsAreLimitedPerAddress() {
    StatusRuntimeException limited = null;
    for (int i = 0; i < 40 && limited == null; i++) {
      try {
        verify.verify(VerifyRequest.newBuilder().setCode(delivered.code()).build());
      } catch (StatusRuntimeException e) {
        limited = e;
      }
    }
    assertThat(limited).isNotNull();
    assertThat(limited.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(KofuException.reasonOf(limited)).isEqualTo(Reason.RATE_LIMITED);
    clock.forward(Duration.ofMinutes(1));
    assertThat(verify.verify(VerifyRequest.newBuilder().setCode(delivered.code()).build()).getStatus())
        .isEqualTo(VerificationStatus.VERIFICATION_STATUS_GENUINE);
  }

  @Test
  void byCodeOverHttpPageAndJsonWithoutPersonalData() throws Exception {
    HttpResponse<String> json = get("/api/v1/verify/" + delivered.code());
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
    JsonNode answer = JSON.readTree(json.body());
    assertThat(answer.get("status").asText()).isEqualTo("GENUINE");
    assertThat(answer.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(X509.sha256(delivered.pdf())));
    assertThat(answer.get("municipality_code").asText()).isEqualTo(Seeder.DEMO_MUNICIPALITY);

    String tamperedDigest = HexFormat.of().formatHex(X509.sha256(tampered(delivered.pdf())));
    JsonNode mismatch = JSON.readTree(get("/api/v1/verify/" + delivered.code() + "?sha256=" + tamperedDigest).body());
    assertThat(mismatch.get("status").asText()).isEqualTo("DIGEST_MISMATCH");

    HttpResponse<String> page = get("/v/" + delivered.code() + "?d=" + delivered.issuanceId());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("GENUINE").contains("東京都千代田区").contains(delivered.issuanceId());

    HttpResponse<String> unknown = get("/api/v1/verify/ZZZZ-ZZZZ-ZZZZ");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).at("/error/reason").asText()).isEqualTo("VERIFICATION_CODE_UNKNOWN");
    assertThat(get("/api/v1/verify/bad").statusCode()).isEqualTo(400);
    assertThat(get("/nothing-here").statusCode()).isEqualTo(404);

    // Nothing of the resident: name, reading, birth date, address, My Number.
    Resident holder = world.resident(world.specimen(Specimen.ISSUABLE, "本籍 here").residentId());
    Household home = world.registry().household(holder.householdId()).orElseThrow();
    for (String answerText : List.of(json.body(), page.body(), verify.verify(VerifyRequest.newBuilder().setCode(delivered.code()).build()).toString())) {
      assertThat(answerText)
          .doesNotContain(holder.familyName())
          .doesNotContain(holder.givenName())
          .doesNotContain(holder.givenNameKana())
          .doesNotContain(home.address())
          .doesNotContain(holder.myNumber())
          .doesNotContain(holder.birthDate().toString());
    }
  }

  @Test
  void aVoidedIssuanceAnswersVoidedAndAnOldCodeExpired() throws Exception {
    Issued voided = issue(CertificateType.CERTIFICATE_TYPE_SEAL_REGISTRATION, false);
    assertThat(verify.verify(VerifyRequest.newBuilder().setCode(voided.code()).build()).getStatus()).isEqualTo(VerificationStatus.VERIFICATION_STATUS_VOIDED);
    assertThat(JSON.readTree(get("/api/v1/verify/" + voided.code()).body()).get("status").asText()).isEqualTo("VOIDED");
    DocumentVerifier files = new DocumentVerifier(List.of(world.pki().municipalCa().certificate()), world.gateway().journal());
    assertThatThrownBy(() -> files.verify(voided.pdf(), clock.instant()))
        .isInstanceOf(DocumentVerifier.NotGenuineException.class)
        .hasMessageContaining("voided");

    var saved = clock.instant();
    clock.forward(Duration.ofDays(91));
    try {
      VerifyResponse expired = verify.verify(VerifyRequest.newBuilder().setCode(delivered.code()).build());
      assertThat(expired.getStatus()).isEqualTo(VerificationStatus.VERIFICATION_STATUS_EXPIRED);
      assertThat(expired.getMunicipalityCode()).isEmpty();
      assertThat(expired.getSha256()).isEmpty();
    } finally {
      clock.set(saved);
    }
  }

  @Test
  void byFileTheSignatureAndTheIssuanceRecordTogether() throws Exception {
    DocumentVerifier files = new DocumentVerifier(List.of(world.pki().municipalCa().certificate()), world.gateway().journal());
    DocumentVerifier.Genuine genuine = files.verify(delivered.pdf(), clock.instant());
    assertThat(genuine.issuance().issuanceId()).isEqualTo(delivered.issuanceId());
    assertThatThrownBy(() -> files.verify(tampered(delivered.pdf()), clock.instant()))
        .isInstanceOf(DocumentVerifier.NotGenuineException.class)
        .hasMessageStartingWith("signature:");
    // Bytes appended after the signature are refused too (the signature no longer covers the file).
    byte[] appended = java.util.Arrays.copyOf(delivered.pdf(), delivered.pdf().length + 10);
    assertThatThrownBy(() -> files.verify(appended, clock.instant())).isInstanceOf(DocumentVerifier.NotGenuineException.class);
  }
}

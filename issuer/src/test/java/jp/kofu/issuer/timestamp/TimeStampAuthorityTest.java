package jp.kofu.issuer.timestamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import jp.kofu.pki.KofuOids;
import jp.kofu.pki.TrustWorld;
import jp.kofu.pki.X509;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.Test;

class TimeStampAuthorityTest {
  private static final Instant NOW = Instant.parse("2026-11-26T01:15:00Z");
  private static final TrustWorld WORLD = TrustWorld.generate(Clock.fixed(NOW, ZoneOffset.UTC));
  private final TimeStampAuthority tsa = new TimeStampAuthority(WORLD.timestampingUnit(), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aTokenStampsTheDigestAtTheClocksTime() throws Exception {
    byte[] digest = X509.sha256("signature value".getBytes());

    TimeStampToken token = new TimeStampToken(new CMSSignedData(tsa.timestamp(digest)));

    assertThat(token.getTimeStampInfo().getMessageImprintDigest()).isEqualTo(digest);
    assertThat(token.getTimeStampInfo().getGenTime().toInstant()).isEqualTo(NOW);
    assertThat(token.getTimeStampInfo().getPolicy()).isEqualTo(KofuOids.POLICY_TIMESTAMPING);
    token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(WORLD.timestampingUnit().certificate()));
  }

  @Test
  void onlyATimeStampingCertificateCanRunAUnit() {
    assertThatThrownBy(() -> new TimeStampAuthority(WORLD.municipalSigner("131016", "千代田区"), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a time-stamping certificate");
  }

  @Test
  void overHttpOnLoopbackTheSameUnitAnswers() throws Exception {
    try (TimeStampServer server = TimeStampServer.start(tsa, new InetSocketAddress("127.0.0.1", 0))) {
      byte[] digest = X509.sha256("another signature".getBytes());

      byte[] token = new HttpTimeStampSource(server.uri(), Duration.ofSeconds(10)).timestamp(digest);

      assertThat(new TimeStampToken(new CMSSignedData(token)).getTimeStampInfo().getMessageImprintDigest()).isEqualTo(digest);
    }
  }

  @Test
  void overHttpGarbageIsRejectedInTheProtocolAndOtherMethodsAreRefused() throws Exception {
    try (TimeStampServer server = TimeStampServer.start(tsa, new InetSocketAddress("127.0.0.1", 0))) {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<byte[]> garbage = client.send(
          HttpRequest.newBuilder(server.uri()).header("Content-Type", "application/timestamp-query")
              .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01})).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      HttpResponse<String> get = client.send(HttpRequest.newBuilder(server.uri()).GET().build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> wrongType = client.send(
          HttpRequest.newBuilder(server.uri()).header("Content-Type", "text/plain")
              .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(garbage.statusCode()).isEqualTo(200);
      TimeStampResponse response = new TimeStampResponse(garbage.body());
      assertThat(response.getStatus()).isEqualTo(PKIStatus.REJECTION);
      assertThat(response.getTimeStampToken()).isNull();
      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(wrongType.statusCode()).isEqualTo(415);
    }
  }

  @Test
  void aClientRefusesAnUnreachableTsa() {
    HttpTimeStampSource nowhere = new HttpTimeStampSource(URI.create("http://127.0.0.1:1/tsa"), Duration.ofSeconds(2));

    assertThatThrownBy(() -> nowhere.timestamp(new byte[32]))
        .isInstanceOf(TimeStampException.class)
        .hasMessageContaining("unreachable");
  }

}

package jp.kofu.gateway.revocation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.pki.CertificateAuthority;
import jp.kofu.pki.TrustWorld;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which signer of an OCSP answer the client takes: the CA itself (signature checked once), and not
 * a key that only claims, by the responder ID, to be the CA. (Delegated responders: {@code
 * CardRevocationTest}, against pki's responder.)
 */
class OcspSignerTest {
  static final Clock CLOCK = Clock.systemUTC();
  static TrustWorld world;
  static HttpServer server;
  /** Who signs the next answer; the responder ID always names the card CA. */
  static volatile PrivateKey signingKey;

  @BeforeAll
  static void start() throws Exception {
    world = TrustWorld.generate(CLOCK);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try {
            byte[] answer = answer(new OCSPReq(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
          } catch (Exception e) {
            exchange.sendResponseHeaders(500, -1);
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  static byte[] answer(OCSPReq request) throws Exception {
    CertificateAuthority ca = world.cardCa();
    JcaBasicOCSPRespBuilder builder =
        new JcaBasicOCSPRespBuilder(ca.certificate().getPublicKey(), new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1));
    Date now = Date.from(CLOCK.instant());
    for (Req item : request.getRequestList()) {
      builder.addResponse(item.getCertID(), CertificateStatus.GOOD, now, null, null);
    }
    builder.setResponseExtensions(new Extensions(request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)));
    BasicOCSPResp basic =
        builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signingKey), new X509CertificateHolder[] {new JcaX509CertificateHolder(ca.certificate())}, now);
    return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
  }

  static OcspClient client(Fetcher fetcher) {
    return new OcspClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), Duration.ofMinutes(5), 16, CLOCK, fetcher);
  }

  @Test
  void anAnswerTheCaSignedItselfIsTaken() {
    signingKey = world.cardCa().keyPair().getPrivate();
    X509Certificate ca = world.cardCa().certificate();
    try (Fetcher fetcher = new Fetcher(Duration.ofSeconds(10))) {
      assertFalse(client(fetcher).status(ca, BigInteger.valueOf(4711)).revoked());
    }
  }

  @Test
  void anAnswerThatNamesTheCaButIsSignedByAnotherKeyIsRefused() {
    signingKey = world.smartphoneCa().keyPair().getPrivate();
    X509Certificate ca = world.cardCa().certificate();
    try (Fetcher fetcher = new Fetcher(Duration.ofSeconds(10))) {
      assertThrows(KofuException.class, () -> client(fetcher).status(ca, BigInteger.valueOf(4712)));
    }
  }
}

package jp.kofu.pki.ocsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.InetSocketAddress;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

class OcspResponsesTest {
  static final TrustWorld world = TrustWorld.generate();
  final OcspResponses responses = new OcspResponses(world);

  static byte[] request(java.security.cert.X509Certificate issuer, BigInteger serial, byte[] nonce) throws Exception {
    CertificateID id =
        new CertificateID(
            new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), serial);
    OCSPReqBuilder b = new OCSPReqBuilder().addRequest(id);
    if (nonce != null) {
      b.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce))));
    }
    return b.build().getEncoded();
  }

  @Test
  void answersGoodThenRevokedSignedByTheCasDelegatedResponderAndEchoesTheNonce() throws Exception {
    HeldCertificate card = world.newCard();
    byte[] nonce = {1, 2, 3, 4, 5, 6, 7, 8};

    BasicOCSPResp good = (BasicOCSPResp) new OCSPResp(responses.respond(request(world.cardCa().certificate(), card.certificate().getSerialNumber(), nonce))).getResponseObject();
    world.revoke(card.certificate(), CRLReason.affiliationChanged);
    BasicOCSPResp revoked = (BasicOCSPResp) new OCSPResp(responses.respond(request(world.cardCa().certificate(), card.certificate().getSerialNumber(), null))).getResponseObject();

    assertThat(good.getResponses()[0].getCertStatus()).isNull();
    assertThat(good.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets())
        .isEqualTo(nonce);
    var signer = world.ocspResponder(world.cardCa()).certificate();
    assertThat(good.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer.getPublicKey()))).isTrue();
    assertThat(revoked.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
    assertThat(((RevokedStatus) revoked.getResponses()[0].getCertStatus()).getRevocationReason()).isEqualTo(CRLReason.affiliationChanged);
  }

  @Test
  void garbageIsAMalformedRequestAndAForeignCaIsUnauthorized() throws Exception {
    assertThat(new OCSPResp(responses.respond(new byte[] {0x30, 0x03, 1, 2})).getStatus()).isEqualTo(OCSPRespBuilder.MALFORMED_REQUEST);
    assertThat(new OCSPResp(responses.respond(new byte[0])).getStatus()).isEqualTo(OCSPRespBuilder.MALFORMED_REQUEST);
    // The terminal CA is not answered for: copiers are checked by CRL.
    assertThat(new OCSPResp(responses.respond(request(world.terminalCa().certificate(), BigInteger.TEN, null))).getStatus())
        .isEqualTo(OCSPRespBuilder.UNAUTHORIZED);
  }

  @Test
  void servesOcspAndCrlsOverHttpAndRefusesOversizedRequests() throws Exception {
    try (OcspResponder responder = OcspResponder.start(world, new InetSocketAddress("127.0.0.1", 0));
        HttpClient http = HttpClient.newHttpClient()) {
      HeldCertificate phone = world.newSmartphoneCredential();
      HttpResponse<byte[]> ocsp =
          http.send(
              HttpRequest.newBuilder(responder.ocspUri())
                  .POST(HttpRequest.BodyPublishers.ofByteArray(request(world.smartphoneCa().certificate(), phone.certificate().getSerialNumber(), null)))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      HttpResponse<byte[]> crl =
          http.send(HttpRequest.newBuilder(responder.crlUri(world.terminalCa())).build(), HttpResponse.BodyHandlers.ofByteArray());
      HttpResponse<byte[]> huge =
          http.send(
              HttpRequest.newBuilder(responder.ocspUri()).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100_000])).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      HttpResponse<byte[]> unknown =
          http.send(HttpRequest.newBuilder(URI.create(responder.baseUri() + "/crl/nobody.crl")).build(), HttpResponse.BodyHandlers.ofByteArray());

      assertThat(new OCSPResp(ocsp.body()).getStatus()).isEqualTo(OCSPRespBuilder.SUCCESSFUL);
      var parsed = (java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509").generateCRL(new java.io.ByteArrayInputStream(crl.body()));
      parsed.verify(world.terminalCa().certificate().getPublicKey());
      assertThat(huge.statusCode()).isEqualTo(413);
      assertThat(unknown.statusCode()).isEqualTo(404);
    }
  }
}

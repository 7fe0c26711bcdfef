package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TerminalEnrollment;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A copier whose key never left its vendor, enrolled from its CSR, is served by a gateway. */
class EnrolledCopierOverTlsTest {
  @RegisterExtension static final GatewayBench bench = new GatewayBench();
  static Gateway gateway;

  @BeforeAll
  static void start() {
    gateway = bench.start(b -> {});
  }

  @Test
  void aCopierEnrolledFromItsCsrAuthenticatesACard() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair vendorKey = g.generateKeyPair();
    byte[] csr =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("C=JP,O=acme-copiers,OU=store-0042,CN=mfp-07"), vendorKey.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(vendorKey.getPrivate()))
            .getEncoded();

    TerminalEnrollment.Enrolled enrolled = TerminalEnrollment.enroll(bench.pki, csr, false);
    Copier copier = bench.copier(gateway, new HeldCertificate(enrolled.certificate(), vendorKey, List.of()));
    SimulatedCard card = bench.card();

    var session = copier.authenticate(copier.openSession(), card, "1234");
    assertThat(session.getSessionToken().isEmpty()).isFalse();
    assertThat(copier.offerings(session.getSessionToken()).getMunicipalitiesCount()).isPositive();
  }
}

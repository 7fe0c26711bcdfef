package jp.kofu.sim.copier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.document.DocumentBinding;
import jp.kofu.issuer.document.DocumentMeta;
import jp.kofu.issuer.document.MunicipalityIdentity;
import jp.kofu.issuer.document.PadesSigner;
import jp.kofu.issuer.document.ResidenceCertificate;
import jp.kofu.issuer.document.ResidenceCertificateRenderer;
import jp.kofu.issuer.document.Sex;
import jp.kofu.pki.TrustWorld;
import jp.kofu.pki.X509;
import jp.kofu.proto.kiosk.v1.IssueHeader;
import org.junit.jupiter.api.Test;

/** The misissuance detector refuses any document not bound to the copier's own card and order. */
class DocumentAcceptanceTest {
  static final TrustWorld world = TrustWorld.generate();
  static final String CODE = "131016";

  static ReceivedDocument document(String cardKeyId, String serial, String order, String issuance, String signedBy) {
    MunicipalityIdentity m = new MunicipalityIdentity(signedBy, "東京都", "千代田区", "千代田区長", "山田　太郎");
    ResidenceCertificate content =
        new ResidenceCertificate(
            m, "東京都千代田区丸の内一丁目１番１号", "山田　花子",
            List.of(new ResidenceCertificate.Person("山田　花子", "ヤマダ　ハナコ", LocalDate.of(1980, 4, 1), Sex.FEMALE, "世帯主",
                LocalDate.of(2010, 1, 1), LocalDate.of(2010, 1, 1), null, null, null, null, null, null, null)),
            Set.of(), false);
    byte[] binding = DocumentBinding.compute(cardKeyId, serial, order, issuance, signedBy);
    byte[] pdf =
        new PadesSigner()
            .sign(new ResidenceCertificateRenderer().render(content, new DocumentMeta(issuance, ZonedDateTime.now(JapanTime.ZONE), binding, null)),
                world.municipalSigner(signedBy, "東京都千代田区"));
    IssueHeader header =
        IssueHeader.newBuilder().setIssuanceId(issuance).setByteSize(pdf.length).setSha256(ByteString.copyFrom(X509.sha256(pdf))).build();
    return new ReceivedDocument(header, pdf, 1, 0, 0, 0);
  }

  final DocumentAcceptance acceptance = new DocumentAcceptance(List.of(world.municipalCa().certificate()), world.clock());

  @Test
  void acceptsTheDocumentBoundToItsOwnCardAndOrder() throws Exception {
    ReceivedDocument doc = document("k", "s1", "order-1", "01ISSUANCE00000000000000001", CODE);
    assertThat(acceptance.check(doc, "k", "s1", "order-1", CODE).municipalityCode()).isEqualTo(CODE);
  }

  @Test
  void refusesADocumentMadeForAnotherCardOrOrder() {
    ReceivedDocument doc = document("k", "s2", "order-2", "01ISSUANCE00000000000000002", CODE);
    assertThatThrownBy(() -> acceptance.check(doc, "k", "s1", "order-2", CODE)).isInstanceOf(MisissuanceException.class).hasMessageContaining("not bound");
    assertThatThrownBy(() -> acceptance.check(doc, "k", "s2", "order-9", CODE)).isInstanceOf(MisissuanceException.class);
  }

  @Test
  void refusesADocumentOfAnotherMunicipalityOrDamagedInTransit() {
    ReceivedDocument doc = document("k", "s3", "order-3", "01ISSUANCE00000000000000003", "011002");
    assertThatThrownBy(() -> acceptance.check(doc, "k", "s3", "order-3", CODE)).hasMessageContaining("municipality");
    byte[] damaged = doc.pdf().clone();
    damaged[damaged.length / 2] ^= 1;
    ReceivedDocument bad = new ReceivedDocument(doc.header(), damaged, 1, 0, 0, 0);
    assertThatThrownBy(() -> acceptance.check(bad, "k", "s3", "order-3", "011002")).hasMessageContaining("SHA-256");
  }
}

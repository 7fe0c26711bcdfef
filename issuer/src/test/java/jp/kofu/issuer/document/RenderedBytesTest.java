package jp.kofu.issuer.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import org.assertj.core.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The rendered certificate is byte for byte what it was before the allocation work of issue 14
 * (pooled buffers for the font program and the ToUnicode CMap, the lexer's fast paths): the
 * SHA-256 of the unsigned PDF of every sample type, for two document numbers and three
 * verification codes (so three QR codes), as main rendered them at 0a39890.
 *
 * <p>The digests hold for the zlib the reference JDK bundles (Temurin); a JDK linked to another
 * zlib compresses differently at level 1, and there the comparison says nothing: it is skipped,
 * after a check of this JVM's Deflater against a fingerprint.
 */
class RenderedBytesTest {
  private static final String[] CODES = {"7KQ2-M9XD-4WPA", "A2C4-E6G8-J9KM", "ZZZZ-0000-YYYY"};
  private static final String[] NUMBERS = {"KF-20261126-000001", "KF-20261231-999999"};

  /** TYPE NUMBER CODE SHA-256, as main rendered them. */
  private static final List<String> BEFORE = List.of(
      "RESIDENCE KF-20261126-000001 7KQ2-M9XD-4WPA a84b90c4bfbb59e2d1cb4a34f2f21069f3d760c5f0c37c99851a76dc1d91d312",
      "RESIDENCE KF-20261126-000001 A2C4-E6G8-J9KM acdbb7327310d225b51f602186e1b7dc03576d01e454a438d52cff3ee361a1c0",
      "RESIDENCE KF-20261126-000001 ZZZZ-0000-YYYY 461d87330bca649fce3b8ca001e068d9b63634c82f14d925a7bc919a3e32ca97",
      "RESIDENCE KF-20261231-999999 7KQ2-M9XD-4WPA 4d823b99ad2f800372b772446d52e617b410ff96ae4857434bb6fd772f74dc7a",
      "RESIDENCE KF-20261231-999999 A2C4-E6G8-J9KM 3bf0eb3bbe67ed54043950d57317085fef6904b12cf81d825dd23133d66d01f1",
      "RESIDENCE KF-20261231-999999 ZZZZ-0000-YYYY eb97d85dbdf4a2e085bc6800590b560cfd869a97a999182bc5d1aee3ba95c6f4",
      "RESIDENCE_ITEMS KF-20261126-000001 7KQ2-M9XD-4WPA 0716eaff6043951dc742383715172d999c55cecf40823f238d75a26e1b1f496c",
      "RESIDENCE_ITEMS KF-20261126-000001 A2C4-E6G8-J9KM 49b54bf87e838ca3f17eedf0ac2c2deb9391b2a64b44e6e3c66531bbca7d48c4",
      "RESIDENCE_ITEMS KF-20261126-000001 ZZZZ-0000-YYYY 0ec84cd34a7bd2d7db22fa76fb99ab8c8c8cb9b077cabda47640522044019d89",
      "RESIDENCE_ITEMS KF-20261231-999999 7KQ2-M9XD-4WPA f68e372b22a144003c8aa6725f48d412ff148530f6e21091b23faefe8161bf14",
      "RESIDENCE_ITEMS KF-20261231-999999 A2C4-E6G8-J9KM ef510f1921ec6c0205977597a0039a6cde687e7c9cc820f598b688cb34bed0db",
      "RESIDENCE_ITEMS KF-20261231-999999 ZZZZ-0000-YYYY 3ba77b4cc7ce413eb86a94ab6529ce3e4c17de83df90f6533dffc11c6ed1b61f",
      "SEAL_REGISTRATION KF-20261126-000001 7KQ2-M9XD-4WPA 6e6436bc2e3763091ee0f5a542f3594ace8c42d171e353095badc0ef072002d6",
      "SEAL_REGISTRATION KF-20261126-000001 A2C4-E6G8-J9KM ebed07ff3041495d8cb483072ff62b0852190a93e75ad28aa326d8b64afcbd1a",
      "SEAL_REGISTRATION KF-20261126-000001 ZZZZ-0000-YYYY f346809f0c4b13f823679c340fb6925c1c36b0a04acf868ec9249e5dc56ba503",
      "SEAL_REGISTRATION KF-20261231-999999 7KQ2-M9XD-4WPA c9cfb94fe525c039d8bc46ee654bfff6ec4c197c0a1d02e0423dd77ddec488ad",
      "SEAL_REGISTRATION KF-20261231-999999 A2C4-E6G8-J9KM 54738bf1af674fd695c684262ac5f7f0a6b7dc5968015efd02183e9a52a70af9",
      "SEAL_REGISTRATION KF-20261231-999999 ZZZZ-0000-YYYY a6394e3b7fbfa9819a05923c9c0c827edcc6490825adb304cc46e507480a4116",
      "FAMILY_REGISTER_FULL KF-20261126-000001 7KQ2-M9XD-4WPA a4c0a71dfa5b3aecc3b13416656de04e594611b68fe76e6a0d3dcaef4317eedb",
      "FAMILY_REGISTER_FULL KF-20261126-000001 A2C4-E6G8-J9KM ba617817d6d0ff1a9c465a27b90cdc183d07272cc5a9bb4c30672f50b31354d8",
      "FAMILY_REGISTER_FULL KF-20261126-000001 ZZZZ-0000-YYYY 52541d6e11df9ad83f3b50e94008d1c5e9cbbaea95716d9707b7bfc27c154823",
      "FAMILY_REGISTER_FULL KF-20261231-999999 7KQ2-M9XD-4WPA ed23b203d7dc58b64afd70ff9db760c23c72b5b1408e22aa8c2bd7b6e5e63751",
      "FAMILY_REGISTER_FULL KF-20261231-999999 A2C4-E6G8-J9KM 60c568b44ef4d439dcbfcb723c756834f63ae6533c1d9f2f983ac47e9d9c1a02",
      "FAMILY_REGISTER_FULL KF-20261231-999999 ZZZZ-0000-YYYY e64973da8b15ad091e8efcffe992cbeb88c6f5cd2a21926bb4c1a0793107172f",
      "FAMILY_REGISTER_INDIVIDUAL KF-20261126-000001 7KQ2-M9XD-4WPA 7d9c4cf227b60b05fd831cb39aa30fce2b6d41d63af8fe54d38733a38ebc2df0",
      "FAMILY_REGISTER_INDIVIDUAL KF-20261126-000001 A2C4-E6G8-J9KM 185642f0e59aae7ced73dc6b73f3ffec39389657021ae5753e329dcbe4f6521f",
      "FAMILY_REGISTER_INDIVIDUAL KF-20261126-000001 ZZZZ-0000-YYYY 7f928862cef5e5951b084543177280c389bb86202c5ea8239c6b9228d02d159b",
      "FAMILY_REGISTER_INDIVIDUAL KF-20261231-999999 7KQ2-M9XD-4WPA a7d7de41638082e3b9f47f5ecac64c2a3dc56bee29b8a237e59a1673c4d54dee",
      "FAMILY_REGISTER_INDIVIDUAL KF-20261231-999999 A2C4-E6G8-J9KM e92daabdf6fade6cfd5e7af3af00e3b04fbb4f2095dedf6c6362c5edb11177df",
      "FAMILY_REGISTER_INDIVIDUAL KF-20261231-999999 ZZZZ-0000-YYYY 765ec0493100b7354c0b70f004f8a3a7ee80495d3d09a7994a527f847e5ef496",
      "FAMILY_REGISTER_ANNEX KF-20261126-000001 7KQ2-M9XD-4WPA 11f307fa90a2d6b1ee1e3aef91689fb80d1bcd9030e6a3d3a5c11a1bba7b62cf",
      "FAMILY_REGISTER_ANNEX KF-20261126-000001 A2C4-E6G8-J9KM 5bfc833328878874a15a8d5241475620d6085bfe493c0f4f6a2aa61915bcf6ac",
      "FAMILY_REGISTER_ANNEX KF-20261126-000001 ZZZZ-0000-YYYY ec1d7e2b714f0da9a24e994d400f07506b524e3b24c48cce3eeb8cbd55cd0b7b",
      "FAMILY_REGISTER_ANNEX KF-20261231-999999 7KQ2-M9XD-4WPA a658fc4a06c4b73f5ae0bc2861f29bc2a5efe491f4a61ed54d2b32c4f11e61fe",
      "FAMILY_REGISTER_ANNEX KF-20261231-999999 A2C4-E6G8-J9KM 5bc890e06d358900ced7544fadeca3d220aeb762e4c8afc52b69e1e63175a506",
      "FAMILY_REGISTER_ANNEX KF-20261231-999999 ZZZZ-0000-YYYY 7aaab81ea598800ed4ac99e5ca2b2b76a5021f691648f68dc047c67b64c72788",
      "INCOME_TAX KF-20261126-000001 7KQ2-M9XD-4WPA 9ff153cc2fac61ae1c5ed93d0816fc95963317198b64c36718fd1bdc1f245f3d",
      "INCOME_TAX KF-20261126-000001 A2C4-E6G8-J9KM d154cb851deade8b6e3e4d87b354da73395fc422f93170e4aa48939cf3d3d229",
      "INCOME_TAX KF-20261126-000001 ZZZZ-0000-YYYY c9253ab24b7b2960fe505b4b7cfa2d502d6a835df8de964685661c537569ad97",
      "INCOME_TAX KF-20261231-999999 7KQ2-M9XD-4WPA 245601bf10d2a3c8553e0ae7bc6d01e81936db54ccd9956f354feb4d0a985739",
      "INCOME_TAX KF-20261231-999999 A2C4-E6G8-J9KM dc6e1e5896cb93ad353f2f0296b50c0828172f3fba6ce6e5203169da3b640df3",
      "INCOME_TAX KF-20261231-999999 ZZZZ-0000-YYYY 82f4ad7c0352e5c905a60f1df809634b2f95a34af17022309ef7d18a74e0378c");

  private static final String DEFLATE_FINGERPRINT = "df8a1c243bf4faeea3ca5376ab279c058017fed3e5554ab109a30a43aff44c6d";

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Level 1, as {@link PdfFile} deflates, of 200 KB of PDF-like text and noise. */
  private static String deflateFingerprint() throws Exception {
    byte[] in = new byte[200_000];
    Random r = new Random(14);
    byte[] w = "住民票の写し 印鑑登録証明書 /Type /Page 0 0 595.276 841.89 re f BT /F1 10.5 Tf ET q Q cm "
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      in[i] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : w[(i * 7 + r.nextInt(3)) % w.length];
    }
    Deflater d = new Deflater(1);
    d.setInput(in);
    d.finish();
    byte[] out = new byte[300_000];
    int n = 0;
    while (!d.finished()) {
      n += d.deflate(out, n, out.length - n);
    }
    d.end();
    return sha256(Arrays.copyOf(out, n));
  }

  @Test
  void everySampleTypeRendersTheSameBytesAsBefore() throws Exception {
    Assumptions.assumeThat(deflateFingerprint())
        .as("this JVM's zlib (level 1) is the reference one; another compresses, validly, otherwise")
        .isEqualTo(DEFLATE_FINGERPRINT);
    Assumptions.assumeThat(PdfFile.DEFLATE_LEVEL).as("jp.kofu.pdf.deflateLevel").isEqualTo(1);
    CertificateRenderer renderer = new CertificateRenderer();
    List<String> now = new ArrayList<>();
    // Twice over: a pooled buffer handed back and lent again must not change the next document.
    for (int round = 0; round < 2; round++) {
      now.clear();
      for (var e : SampleCertificates.all().entrySet()) {
        for (String number : NUMBERS) {
          for (String code : CODES) {
            DocumentMeta sample = SampleCertificates.meta(number);
            DocumentMeta meta = new DocumentMeta(sample.documentNumber(), sample.issuedAt(), sample.binding(), code);
            now.add(e.getKey() + " " + number + " " + code + " " + sha256(renderer.render(e.getValue(), meta)));
          }
        }
      }
      assertThat(now).as("round " + round).containsExactlyElementsOf(BEFORE);
    }
  }
}

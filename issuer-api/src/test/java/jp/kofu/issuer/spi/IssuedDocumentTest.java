package jp.kofu.issuer.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Whose bytes a document's are: copied from an adapter that may reuse them, taken over when handed over. */
class IssuedDocumentTest {
  private static byte[] pdf() {
    return "%PDF-1.7 a signed certificate".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Test
  void theConstructorCopiesSoAnAdapterMayReuseItsBuffer() {
    byte[] buffer = pdf();
    IssuedDocument d = new IssuedDocument(buffer, 1, 300, null);
    java.util.Arrays.fill(buffer, (byte) 'x');
    assertThat(d.sharedPdf()).isEqualTo(pdf()).isNotSameAs(buffer);
    assertThat(d.pdf()).isEqualTo(pdf());
  }

  @Test
  void pdfIsACopyTheCallerMayChange() {
    IssuedDocument d = new IssuedDocument(pdf(), 1, 300, "ABCD-EFGH");
    byte[] copy = d.pdf();
    copy[0] = 'x';
    assertThat(d.pdf()).isEqualTo(pdf());
    assertThat(d.sharedPdf()).isEqualTo(pdf()).isNotSameAs(copy);
  }

  @Test
  void aHandedOverArrayIsTakenOverUncopied() {
    byte[] made = pdf();
    IssuedDocument d = IssuedDocument.handOver(made, 2, 450, "ABCD-EFGH");
    assertThat(d.sharedPdf()).isSameAs(made);
    assertThat(d.size()).isEqualTo(made.length);
    assertThat(d.pageCount()).isEqualTo(2);
    assertThat(d.feePerCopyYen()).isEqualTo(450);
    assertThat(d.verificationCode()).isEqualTo("ABCD-EFGH");
    assertThat(d.pdf()).isEqualTo(made).isNotSameAs(made);
  }

  @Test
  void onlyTheHandedOverArrayEscapesTheCopyAndOnlyDuringTheHandover() {
    byte[] made = pdf();
    IssuedDocument.handOver(made, 1, 0, null);
    // Afterwards, on the same thread, the constructor copies the same array again.
    assertThat(new IssuedDocument(made, 1, 0, null).sharedPdf()).isNotSameAs(made).isEqualTo(made);
    // A refused handover leaves nothing behind either.
    assertThatThrownBy(() -> IssuedDocument.handOver(made, 0, 0, null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new IssuedDocument(made, 1, 0, null).sharedPdf()).isNotSameAs(made);
  }

  @Test
  void theChecksAreTheConstructorsEitherWay() {
    assertThatThrownBy(() -> new IssuedDocument(pdf(), 0, 0, null)).hasMessageContaining("pageCount");
    assertThatThrownBy(() -> IssuedDocument.handOver(pdf(), 1, -1, null)).hasMessageContaining("feePerCopyYen");
    assertThatThrownBy(() -> new IssuedDocument(null, 1, 0, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> IssuedDocument.handOver(null, 1, 0, null)).isInstanceOf(NullPointerException.class);
  }
}

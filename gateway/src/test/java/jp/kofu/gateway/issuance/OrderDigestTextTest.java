package jp.kofu.gateway.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import jp.kofu.issuer.spi.CertificateOption;
import org.junit.jupiter.api.Test;

/**
 * The order digest's text for a set of names is what it was before the no-stream shortcut (a
 * journaled order's digest must still match when it is retried after an upgrade).
 */
class OrderDigestTextTest {
  private static <T> String before(java.util.Collection<T> values, java.util.function.Function<T, String> name) {
    return values.stream().map(name).sorted().toList().toString();
  }

  @Test
  void namesAreListedSortedAsBefore() {
    List<List<String>> handles = List.of(List.of(), List.of("m-2"), List.of("m-2", "m-1"), List.of("b", "c", "a"));
    for (List<String> h : handles) {
      assertThat(IssuanceService.sortedList(h, x -> x)).isEqualTo(before(h, x -> x));
    }
    CertificateOption[] all = CertificateOption.values();
    List<Set<CertificateOption>> options =
        List.of(Set.of(), Set.of(all[0]), EnumSet.allOf(CertificateOption.class), all.length > 1 ? Set.of(all[all.length - 1], all[0]) : Set.of(all[0]));
    for (Set<CertificateOption> o : options) {
      assertThat(IssuanceService.sortedList(o, CertificateOption::name)).isEqualTo(before(o, CertificateOption::name));
    }
    assertThat(IssuanceService.sortedList(List.of("x"), x -> x)).isEqualTo("[x]");
    assertThat(IssuanceService.sortedList(List.of("b", "a"), x -> x)).isEqualTo("[a, b]");
  }
}

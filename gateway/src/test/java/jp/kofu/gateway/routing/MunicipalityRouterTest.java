package jp.kofu.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.reference.LocalGovernment;
import jp.kofu.issuer.reference.LocalGovernmentCode;
import jp.kofu.issuer.reference.LocalGovernmentCodes;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.MunicipalityOfferings;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.ResidentRef;
import jp.kofu.proto.type.v1.Reason;
import org.junit.jupiter.api.Test;

/** Every code of Japan gets an answer: routed, not served, or invalid — never an error of ours. */
class MunicipalityRouterTest {
  static final LocalGovernmentCodes CODES = LocalGovernmentCodes.bundled();

  /** An adapter that is never called: routing alone is under test. */
  static final IssuerAdapter NOBODY =
      new IssuerAdapter() {
        @Override
        public Set<String> municipalityCodes() {
          return Set.of("131016", "141003");
        }

        @Override
        public ResidentRef resolveCard(CardQuery query) {
          throw new AssertionError();
        }

        @Override
        public MunicipalityOfferings offerings(OfferingsQuery query) {
          throw new AssertionError();
        }

        @Override
        public IssuedDocument issue(IssueCommand command) {
          throw new AssertionError();
        }
      };

  final MunicipalityRouter router =
      new MunicipalityRouter(
          CODES,
          Map.of(
              "131016", new Municipality("131016", NOBODY, Duration.ofSeconds(1), 1),
              "141003", new Municipality("141003", NOBODY, Duration.ofSeconds(1), 1)));

  @Test
  void theBundledTableHasEveryCodeOfJapan() {
    assertThat(CODES.all()).hasSize(1965);
    assertThat(CODES.all().stream().filter(g -> g.type() == LocalGovernment.Type.PREFECTURE)).hasSize(47);
    assertThat(CODES.all()).allSatisfy(g -> assertThat(LocalGovernmentCode.isValid(g.code())).isTrue());
    // Hamamatsu's wards since 2024-01-01.
    assertThat(CODES.find("221384")).isPresent();
    assertThat(CODES.find("221317")).as("浜松市中区 before 2024").isEmpty();
  }

  @Test
  void everyValidCodeIsRoutedOrNotServed() {
    int served = 0;
    int notServed = 0;
    for (LocalGovernment g : CODES.all()) {
      if (g.type() == LocalGovernment.Type.PREFECTURE) {
        // A prefecture issues no residence certificates: not a municipality code.
        assertThat(reasonOf(g.code())).isEqualTo(Reason.MUNICIPALITY_CODE_INVALID);
      } else if (router.find(g.code()).isPresent()) {
        assertThat(router.route(g.code()).code()).isEqualTo(g.code());
        served++;
      } else {
        KofuException e = catchKofu(g.code());
        assertThat(e.reason()).isEqualTo(Reason.MUNICIPALITY_NOT_SERVED);
        assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(e.metadata()).containsEntry("municipality_code", g.code());
        notServed++;
      }
    }
    assertThat(served).isEqualTo(2);
    assertThat(notServed).isEqualTo(1965 - 47 - 2);
  }

  @Test
  void everyWrongCheckDigitIsAnInvalidArgument() {
    int checked = 0;
    for (LocalGovernment g : CODES.all()) {
      for (String bad : wrongCheckDigits(g.code())) {
        KofuException e = catchKofu(bad);
        assertThat(e.reason()).isEqualTo(Reason.MUNICIPALITY_CODE_INVALID);
        assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.metadata()).containsEntry("field", "municipality_code");
        checked++;
      }
    }
    assertThat(checked).isEqualTo(1965 * 9);
  }

  @Test
  void malformedCodesAreInvalidArguments() {
    for (String bad : new String[] {"", "13101", "1310166", "13101a", "１３１０１６", "131016\n"}) {
      assertThat(reasonOf(bad)).as(bad).isEqualTo(Reason.MUNICIPALITY_CODE_INVALID);
    }
    // A valid check digit on a code that does not exist.
    String unknown = "99999" + LocalGovernmentCode.checkDigit("99999");
    assertThat(reasonOf(unknown)).isEqualTo(Reason.MUNICIPALITY_CODE_INVALID);
  }

  @Test
  void aCodeServedByNoAdapterAndServedOneAreTold() {
    assertThatThrownBy(() -> router.route("271004")).isInstanceOfSatisfying(KofuException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MUNICIPALITY_NOT_SERVED));
    assertThat(router.route("131016").code()).isEqualTo("131016");
  }

  /** The nine codes that differ from {@code code} only in the check digit. */
  static java.util.List<String> wrongCheckDigits(String code) {
    java.util.List<String> out = new java.util.ArrayList<>(9);
    for (char d = '0'; d <= '9'; d++) {
      if (d != code.charAt(5)) {
        out.add(code.substring(0, 5) + d);
      }
    }
    return out;
  }

  private Reason reasonOf(String code) {
    return catchKofu(code).reason();
  }

  private KofuException catchKofu(String code) {
    try {
      router.route(code);
    } catch (KofuException e) {
      return e;
    }
    throw new AssertionError("routed: " + code);
  }
}

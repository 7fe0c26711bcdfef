package jp.kofu.gateway.kiosk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import jp.kofu.gateway.auth.CardAuthenticator;
import jp.kofu.gateway.auth.CardTrust;
import jp.kofu.gateway.auth.Challenges;
import jp.kofu.gateway.auth.Hmac;
import jp.kofu.gateway.auth.SessionTokens;
import jp.kofu.gateway.auth.TerminalIdentity;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.routing.MunicipalityRouter;
import jp.kofu.issuer.reference.LocalGovernmentCode;
import jp.kofu.issuer.reference.LocalGovernmentCodes;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.HouseholdScope;
import jp.kofu.pki.TrustWorld;
import jp.kofu.proto.StrictRequests;
import jp.kofu.proto.kiosk.v1.AuthenticateRequest;
import jp.kofu.proto.kiosk.v1.IssueRequest;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.Reason;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * The validators, for all inputs: each either accepts (and what it accepts keeps its invariants) or
 * refuses with its own precise reason — never another exception, never another reason.
 */
class ValidationPropertiesTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-04-01T01:00:00Z"), ZoneOffset.UTC);
  static final byte[] SECRET = new byte[32];
  static final TerminalIdentity TERMINAL = new TerminalIdentity("chain", "store", "copier");
  static final TrustWorld WORLD = TrustWorld.generate(CLOCK);
  static final byte[] CARD_DER = der();

  static byte[] der() {
    try {
      return WORLD.newCard().certificate().getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Property
  void orderIdsAreAcceptedExactlyWhenTheyMatchTheContract(@ForAll @StringLength(max = 80) String id) {
    boolean valid = id.matches("[A-Za-z0-9_-]{16,64}");
    try {
      assertThat(RequestValidation.orderId(id)).isEqualTo(id);
      assertThat(valid).isTrue();
    } catch (KofuException e) {
      assertThat(valid).isFalse();
      assertThat(e.reason()).isEqualTo(Reason.FIELD_INVALID);
      assertThat(e.metadata()).containsEntry("field", "order_id");
    }
  }

  @Property
  void terminalSoftwareAndIssuanceIdsRefuseWithTheirField(@ForAll @StringLength(max = 80) String s) {
    for (var check : List.<java.util.function.Function<String, String>>of(RequestValidation::terminalSoftware, RequestValidation::issuanceId)) {
      try {
        assertThat(check.apply(s)).isEqualTo(s);
      } catch (KofuException e) {
        assertThat(e.reason()).isEqualTo(Reason.FIELD_INVALID);
        assertThat(e.metadata()).containsKey("field");
      }
    }
  }

  @Provide
  Arbitrary<CertificateRequest> certificateRequests() {
    Arbitrary<Integer> enumValue = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, 8)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers()));
    Arbitrary<List<Integer>> options = enumValue.list().ofMaxSize(8);
    Arbitrary<List<String>> handles = Arbitraries.strings().withCharRange('!', '~').ofMaxLength(70).list().ofMaxSize(24);
    Arbitrary<Integer> copies = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(-2, 25)), net.jqwik.api.Tuple.of(1, Arbitraries.integers()));
    Arbitrary<Integer> year = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1995, 2105)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers()));
    return Combinators.combine(enumValue, options, enumValue, handles, copies, year)
        .as((type, opts, scope, members, n, fy) -> {
          CertificateRequest.Builder b = CertificateRequest.newBuilder().setTypeValue(type).setScopeValue(scope).setCopies(n).setFiscalYear(fy);
          opts.forEach(b::addOptionsValue);
          b.addAllMemberHandles(members);
          return b.build();
        });
  }

  @Property(tries = 2000)
  void certificateRequestsAreValidOrRefusedWithTheirFieldAndReason(@ForAll("certificateRequests") CertificateRequest c) {
    try {
      var r = RequestValidation.certificate(c);
      assertThat(r.copies()).isBetween(1, RequestValidation.MAX_COPIES);
      assertThat(Integer.toUnsignedLong(c.getCopies())).isBetween(1L, (long) RequestValidation.MAX_COPIES);
      boolean residence = r.type() == CertificateType.RESIDENCE || r.type() == CertificateType.RESIDENCE_ITEMS;
      assertThat(residence || (r.options().isEmpty() && r.scope() == HouseholdScope.SELF)).isTrue();
      assertThat(r.memberHandles().isEmpty()).isEqualTo(r.scope() != HouseholdScope.SELECTED_MEMBERS);
      assertThat(r.memberHandles()).hasSizeLessThanOrEqualTo(RequestValidation.MAX_MEMBERS).doesNotHaveDuplicates();
      assertThat(r.fiscalYear() == 0 || (r.type() == CertificateType.INCOME_TAX && r.fiscalYear() >= 2000 && r.fiscalYear() <= 2100)).isTrue();
    } catch (KofuException e) {
      assertThat(e.reason()).isIn(Reason.FIELD_INVALID, Reason.COPIES_OUT_OF_RANGE);
      assertThat(e.metadata().get("field")).startsWith("certificate.");
    }
  }

  @Property
  void aMunicipalityCodeIsValidExactlyWhenItsCheckDigitIs(@ForAll @IntRange(min = 0, max = 99_999) int first, @ForAll @IntRange(min = 0, max = 9) int last) {
    String five = String.format("%05d", first);
    String code = five + last;
    assertThat(LocalGovernmentCode.isValid(code)).isEqualTo(LocalGovernmentCode.checkDigit(five) == last);
  }

  static final MunicipalityRouter ROUTER = new MunicipalityRouter(LocalGovernmentCodes.bundled(), java.util.Map.of());

  @Property
  void routingAnyStringRefusesOnlyAsAnInvalidOrUnservedMunicipality(@ForAll @StringLength(max = 12) String code) {
    try {
      ROUTER.route(code);
      throw new AssertionError("nothing is served here");
    } catch (KofuException e) {
      assertThat(e.reason()).isIn(Reason.MUNICIPALITY_CODE_INVALID, Reason.MUNICIPALITY_NOT_SERVED);
      if (e.reason() == Reason.MUNICIPALITY_NOT_SERVED) {
        assertThat(LocalGovernmentCode.isValid(code)).isTrue();
      }
    }
  }

  static final Challenges CHALLENGES = new Challenges(new Hmac(SECRET, "challenge"), CLOCK, Duration.ofMinutes(2));

  @Property
  void anyBytesButAnIssuedChallengeAreChallengeInvalid(@ForAll @Size(max = 100) byte[] bytes) {
    try {
      CHALLENGES.open(bytes, TERMINAL);
      throw new AssertionError("accepted " + java.util.HexFormat.of().formatHex(bytes));
    } catch (KofuException e) {
      assertThat(e.reason()).isEqualTo(Reason.CHALLENGE_INVALID);
    }
  }

  @Property
  void anyChangeToAnIssuedChallengeMakesItInvalid(@ForAll @IntRange(min = 0, max = 63) int at, @ForAll @IntRange(min = 1, max = 255) int xor) {
    byte[] c = CHALLENGES.issue(TERMINAL).challenge();
    c[at] ^= (byte) xor;
    try {
      CHALLENGES.open(c, TERMINAL);
      throw new AssertionError("accepted an altered challenge");
    } catch (KofuException e) {
      assertThat(e.reason()).isEqualTo(Reason.CHALLENGE_INVALID);
    }
  }

  static final SessionTokens TOKENS = new SessionTokens(new Hmac(SECRET, "session"), CLOCK, Duration.ofMinutes(15));

  @Property
  void anyChangeToASessionTokenMakesItInvalid(@ForAll @IntRange(min = 0, max = 10_000) int at, @ForAll @IntRange(min = 1, max = 255) int xor) {
    byte[] t = TOKENS.encode(TOKENS.newSession(TERMINAL, new CardRef("5f3a", "ab".repeat(32), CardRef.CredentialKind.CARD), "131016"));
    t[at % t.length] ^= (byte) xor;
    try {
      TOKENS.open(t, TERMINAL);
      throw new AssertionError("accepted an altered token");
    } catch (KofuException e) {
      assertThat(e.reason()).isEqualTo(Reason.SESSION_INVALID);
    }
  }

  @Property
  void anyBytesAsASessionTokenAreSessionInvalid(@ForAll @Size(max = 1100) byte[] bytes) {
    try {
      TOKENS.open(bytes, TERMINAL);
      throw new AssertionError("accepted");
    } catch (KofuException e) {
      assertThat(e.reason()).isEqualTo(Reason.SESSION_INVALID);
    }
  }

  static final CardAuthenticator CARDS =
      new CardAuthenticator(
          CardTrust.of(List.of(WORLD.cardRoot().certificate()), List.of(WORLD.cardCa().certificate()), List.of(WORLD.smartphoneCa().certificate())),
          CLOCK);
  static final Set<Reason> CARD_REASONS =
      EnumSet.of(
          Reason.CARD_CERTIFICATE_MALFORMED, Reason.SIGNATURE_MALFORMED, Reason.CARD_UNTRUSTED, Reason.CARD_USAGE_INVALID,
          Reason.CARD_EXTENSION_UNSUPPORTED, Reason.CREDENTIAL_KIND_MISMATCH, Reason.CARD_EXPIRED, Reason.CARD_NOT_YET_VALID);

  @Property(tries = 500)
  void aMutatedCardCertificateIsRefusedOnlyWithACardReason(
      @ForAll @IntRange(min = 0, max = 100_000) int at, @ForAll @IntRange(min = 1, max = 255) int xor, @ForAll @IntRange(min = 0, max = 3) int how) {
    byte[] der = CARD_DER.clone();
    int i = at % der.length;
    byte[] input =
        switch (how) {
          case 0 -> { der[i] ^= (byte) xor; yield der; }
          case 1 -> java.util.Arrays.copyOf(der, i);
          case 2 -> java.util.Arrays.copyOf(der, der.length + 1 + xor % 8);
          default -> { der[i] = (byte) xor; yield der; }
        };
    try {
      CARDS.inspect(input, new byte[256], CardRef.CredentialKind.CARD);
      // A change the certificate survives (inside its signature value? no: the CA signature
      // covers all but the signature itself) must leave a certificate that still verifies.
      assertThat(input).isEqualTo(CARD_DER);
    } catch (KofuException e) {
      assertThat(e.reason()).isIn(CARD_REASONS);
    }
  }

  @Property
  void anyBytesAsARequestAreParsedOrRefusedAsMalformed(@ForAll @Size(max = 300) byte[] bytes) {
    for (com.google.protobuf.Parser<?> parser : List.of(AuthenticateRequest.parser(), IssueRequest.parser())) {
      try {
        com.google.protobuf.Message m = (com.google.protobuf.Message) parser.parseFrom(bytes);
        String unknown = StrictRequests.unknownField(m, "");
        assertThat(unknown == null).isEqualTo(hasNoUnknownFields(m));
        // The fast path lets through exactly what both precise checks let through.
        assertThat(StrictRequests.hasUnknownFields(m)).isEqualTo(unknown != null || StrictRequests.wrongWireType(m, "") != null);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        // what StrictRequests answers MESSAGE_MALFORMED
      }
    }
  }

  static boolean hasNoUnknownFields(com.google.protobuf.Message m) {
    if (!m.getUnknownFields().asMap().isEmpty()) {
      return false;
    }
    for (var f : m.getAllFields().entrySet()) {
      if (f.getKey().getJavaType() == com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE) {
        List<?> values = f.getKey().isRepeated() ? (List<?>) f.getValue() : List.of(f.getValue());
        for (Object v : values) {
          if (!hasNoUnknownFields((com.google.protobuf.Message) v)) {
            return false;
          }
        }
      }
    }
    return true;
  }
}

package jp.kofu.gateway.routing;

import java.util.Map;
import java.util.Optional;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.reference.LocalGovernment;
import jp.kofu.issuer.reference.LocalGovernmentCode;
import jp.kofu.issuer.reference.LocalGovernmentCodes;
import jp.kofu.proto.type.v1.Reason;

/** Local-government code → the municipality that serves it. Knows every code of Japan. */
public final class MunicipalityRouter {
  private final LocalGovernmentCodes codes;
  private final Map<String, Municipality> served;

  public MunicipalityRouter(LocalGovernmentCodes codes, Map<String, Municipality> served) {
    this.codes = codes;
    this.served = Map.copyOf(served);
  }

  /** The municipality serving {@code code}; INVALID_ARGUMENT or FAILED_PRECONDITION otherwise. */
  public Municipality route(String code) {
    if (!LocalGovernmentCode.isValid(code)) {
      throw new KofuException(
          Reason.MUNICIPALITY_CODE_INVALID,
          "municipality_code: '" + abbreviate(code) + "' (expected: 6 digits with a valid check digit)",
          Map.of("field", "municipality_code"));
    }
    Municipality m = served.get(code);
    if (m != null) {
      return m;
    }
    Optional<LocalGovernment> g = codes.find(code);
    if (g.isEmpty() || g.get().type() == LocalGovernment.Type.PREFECTURE) {
      throw new KofuException(
          Reason.MUNICIPALITY_CODE_INVALID,
          "municipality_code: " + code + " is not a municipality or ward",
          Map.of("field", "municipality_code"));
    }
    throw new KofuException(
        Reason.MUNICIPALITY_NOT_SERVED,
        g.get().fullName() + " does not offer convenience-store issuance",
        Map.of("municipality_code", code));
  }

  public Optional<Municipality> find(String code) {
    return Optional.ofNullable(served.get(code));
  }

  public Map<String, Municipality> served() {
    return served;
  }

  public String displayName(String code) {
    return codes.find(code).map(LocalGovernment::fullName).orElse(code);
  }

  private static String abbreviate(String s) {
    return s.length() <= 12 ? s : s.substring(0, 12) + "…";
  }
}

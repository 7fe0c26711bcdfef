package jp.kofu.gateway.kiosk;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.remote.IssuerProtos;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateRequest;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.HouseholdScope;
import jp.kofu.proto.type.v1.CredentialKind;
import jp.kofu.proto.type.v1.Reason;

/** Field checks for kiosk requests, each failing with the field and what was expected. */
public final class RequestValidation {
  public static final int MAX_COPIES = 20;
  public static final int MAX_MEMBERS = 20;
  private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final Pattern HANDLE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern ISSUANCE_ID = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");
  private static final Pattern SOFTWARE = Pattern.compile("[\\x20-\\x7e]{0,64}");

  private RequestValidation() {}

  public static String orderId(String id) {
    if (!ORDER_ID.matcher(id).matches()) {
      throw KofuException.invalidField("order_id", "16..64 characters of [A-Za-z0-9_-]");
    }
    return id;
  }

  public static String issuanceId(String id) {
    if (!ISSUANCE_ID.matcher(id).matches()) {
      throw KofuException.invalidField("issuance_id", "the 26-character id from IssueHeader");
    }
    return id;
  }

  public static String terminalSoftware(String s) {
    if (!SOFTWARE.matcher(s).matches()) {
      throw KofuException.invalidField("terminal_software", "at most 64 printable ASCII characters");
    }
    return s;
  }

  public static CardRef.CredentialKind credentialKind(CredentialKind kind) {
    CardRef.CredentialKind k = IssuerProtos.credentialKind(kind);
    if (k == null) {
      throw KofuException.invalidField("credential_kind", "CREDENTIAL_KIND_CARD or CREDENTIAL_KIND_SMARTPHONE");
    }
    return k;
  }

  public static CertificateRequest certificate(jp.kofu.proto.type.v1.CertificateRequest c) {
    CertificateType type = IssuerProtos.certificateType(c.getType());
    if (type == null) {
      throw KofuException.invalidField("certificate.type", "one of the CertificateType values");
    }
    Set<CertificateOption> options = EnumSet.noneOf(CertificateOption.class);
    for (jp.kofu.proto.type.v1.CertificateOption o : c.getOptionsList()) {
      CertificateOption option = IssuerProtos.certificateOption(o);
      if (option == null) {
        throw KofuException.invalidField("certificate.options", "CertificateOption values");
      }
      if (!options.add(option)) {
        throw KofuException.invalidField("certificate.options", "each option at most once");
      }
    }
    if (!options.isEmpty() && type != CertificateType.RESIDENCE && type != CertificateType.RESIDENCE_ITEMS) {
      throw KofuException.invalidField("certificate.options", "options only with residence certificates");
    }
    HouseholdScope scope = IssuerProtos.householdScope(c.getScope());
    if (scope == null) {
      throw KofuException.invalidField("certificate.scope", "a HouseholdScope value");
    }
    List<String> members = c.getMemberHandlesList();
    if (scope == HouseholdScope.SELECTED_MEMBERS) {
      if (members.isEmpty() || members.size() > MAX_MEMBERS) {
        throw KofuException.invalidField("certificate.member_handles", "1.." + MAX_MEMBERS + " handles with SELECTED_MEMBERS");
      }
      for (String h : members) {
        if (!HANDLE.matcher(h).matches()) {
          throw KofuException.invalidField("certificate.member_handles", "handles from Offering.household_members");
        }
      }
      if (Set.copyOf(members).size() != members.size()) {
        throw KofuException.invalidField("certificate.member_handles", "each handle at most once");
      }
    } else if (!members.isEmpty()) {
      throw KofuException.invalidField("certificate.member_handles", "no handles unless scope is SELECTED_MEMBERS");
    }
    if (scope != HouseholdScope.SELF && type != CertificateType.RESIDENCE && type != CertificateType.RESIDENCE_ITEMS) {
      throw KofuException.invalidField("certificate.scope", "a household scope only with residence certificates");
    }
    if (c.getCopies() < 1 || c.getCopies() > MAX_COPIES) {
      throw new KofuException(
          Reason.COPIES_OUT_OF_RANGE,
          "copies: " + Integer.toUnsignedString(c.getCopies()) + " (expected: 1.." + MAX_COPIES + ")",
          Map.of("field", "certificate.copies", "expected", "1.." + MAX_COPIES));
    }
    int fiscalYear = c.getFiscalYear();
    if (fiscalYear != 0 && (fiscalYear < 2000 || fiscalYear > 2100 || type != CertificateType.INCOME_TAX)) {
      throw KofuException.invalidField("certificate.fiscal_year", "0, or 2000..2100 with INCOME_TAX");
    }
    return new CertificateRequest(type, options, scope, members, c.getCopies(), fiscalYear);
  }
}
